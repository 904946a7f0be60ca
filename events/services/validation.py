"""The checks of an event's fields and sessions, answering every problem at once (`Invalid` with a
message per field), so a form or an API client can fix them in one go."""

from __future__ import annotations

from itertools import pairwise

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from documents.models import DocumentSet
from events.models import Event
from grants_office.calls.models import known_time_zones
from grants_office.core.errors import Invalid
from grants_office.members.provinces import PROVINCE_CHOICES

EDITABLE = (
    "kind",
    "title_tr",
    "title_en",
    "description_tr",
    "description_en",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "online_url",
    "capacity",
    "seats_per_municipality",
    "waiting_list",
    "requires_approval",
    "registration_opens_at",
    "registration_closes_at",
    "audience",
    "audience_provinces",
    "agenda",
    "min_attendance_percent",
    "trains_project_managers",
)
PROVINCES = {code for code, _label in PROVINCE_CHOICES}
MAX_SESSIONS = 60


def _text(values: dict, name: str) -> str:
    return str(values.get(name) or "").strip()


def _fields(values: dict, errors: dict) -> dict:
    cleaned = {name: values[name] for name in EDITABLE if name in values}
    for name in ("title_tr", "title_en"):
        cleaned[name] = _text(values, name)
        if not cleaned[name]:
            errors[name] = [_("A title is required in both languages.")]
    for name in ("description_tr", "description_en", "place", "online_url", "agenda"):
        if name in values:
            cleaned[name] = _text(values, name)
    if cleaned.get("kind") not in Event.Kind.values:
        errors["kind"] = [_("Choose a kind of event.")]
    if cleaned.get("time_zone", "Europe/Istanbul") not in known_time_zones():
        errors["time_zone"] = [_("Unknown time zone.")]
    if cleaned.get("kind") == Event.Kind.ONLINE_SESSION and not cleaned.get("online_url"):
        errors["online_url"] = [_("An online session needs its link.")]
    _numbers(cleaned, errors)
    return cleaned


def _numbers(cleaned: dict, errors: dict) -> None:
    for name in ("capacity", "seats_per_municipality"):
        if cleaned.get(name) is not None and cleaned[name] < 1:
            errors[name] = [_("At least 1, or empty for no limit.")]
    share = cleaned.get("min_attendance_percent", 80)
    if share is None or not 1 <= share <= 100:
        errors["min_attendance_percent"] = [_("A share between 1 and 100.")]


def _audience(cleaned: dict, relations: dict, errors: dict) -> None:
    audience = cleaned.get("audience", Event.Audience.ALL_MEMBERS)
    if audience not in Event.Audience.values:
        errors["audience"] = [_("Choose an audience.")]
        return
    provinces = [str(p) for p in cleaned.get("audience_provinces") or []]
    cleaned["audience_provinces"] = sorted(set(provinces)) if audience == Event.Audience.PROVINCES else []
    unknown = sorted(set(provinces) - PROVINCES)
    if audience == Event.Audience.PROVINCES and (not provinces or unknown):
        errors["audience_provinces"] = [
            _("Unknown province: %(names)s.") % {"names": ", ".join(unknown)}
            if unknown
            else _("Choose the provinces.")
        ]
    if audience == Event.Audience.CHOSEN and not relations.get("audience_municipalities"):
        errors["audience_municipalities"] = [_("Choose the municipalities.")]


def _materials(relations: dict, errors: dict) -> None:
    materials = relations.get("materials") or []
    if any(getattr(item, "purpose", None) != DocumentSet.Purpose.LIBRARY for item in materials):
        errors["materials"] = [_("Materials come from the shared library.")]


def _sessions(cleaned: dict, sessions: list[dict], errors: dict) -> list[dict]:
    if not sessions and cleaned.get("starts_at") and cleaned.get("ends_at"):
        sessions = [{"title": "", "starts_at": cleaned["starts_at"], "ends_at": cleaned["ends_at"]}]
    if not sessions:
        errors["sessions"] = [_("Give the sessions, or the start and the end.")]
        return []
    if len(sessions) > MAX_SESSIONS:
        errors["sessions"] = [_("At most %(count)s sessions.") % {"count": MAX_SESSIONS}]
        return []
    ordered = sorted(sessions, key=lambda s: (s.get("starts_at") is None, s.get("starts_at") or 0))
    problems = []
    for number, session in enumerate(ordered, start=1):
        start, end = session.get("starts_at"), session.get("ends_at")
        if start is None or end is None:
            problems.append(_("Session %(number)s needs a start and an end.") % {"number": number})
        elif end <= start:
            problems.append(_("Session %(number)s must end after it starts.") % {"number": number})
    for before, after in pairwise(ordered):
        if before.get("ends_at") and after.get("starts_at") and after["starts_at"] < before["ends_at"]:
            problems.append(_("Sessions overlap."))
            break
    if problems:
        errors["sessions"] = problems
        return []
    cleaned["starts_at"], cleaned["ends_at"] = ordered[0]["starts_at"], ordered[-1]["ends_at"]
    return [
        {"title": str(s.get("title") or "")[:200], **{k: s[k] for k in ("starts_at", "ends_at")}}
        for s in ordered
    ]


def _window(cleaned: dict, sessions: list[dict], errors: dict) -> None:
    """Registration may stay open until the last session starts (late comers to a camp's last day), no
    later."""
    opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = [_("Registration must close after it opens.")]
    elif closes and sessions and closes > sessions[-1]["starts_at"]:
        errors["registration_closes_at"] = [_("Registration must close before the event ends.")]


def clean_event(values: dict, sessions: list[dict], relations: dict) -> tuple[dict, list]:
    """The event's fields and sessions, cleaned; `Invalid` with every problem otherwise. `relations`
    are the event's related rows as they will be (those given, else those it has)."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        errors.update({name: [_("Unknown field.")] for name in unknown})
    cleaned = _fields(values, errors)
    _audience(cleaned, relations, errors)
    _materials(relations, errors)
    sessions = _sessions(cleaned, sessions, errors)
    _window(cleaned, sessions, errors)
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)
    return cleaned, sessions


def model_errors(error: ValidationError) -> Invalid:
    return Invalid(
        _("Invalid input."), fields={k: [str(m) for m in v] for k, v in error.message_dict.items()}
    )
