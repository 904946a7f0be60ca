"""The office's writes of events: create (a draft), edit what it announced, and run the machine.

An event's `starts_at`/`ends_at` are always its sessions' span; without sessions given, the event's
start and end make its one session. Edits of a published event that move it (times, sessions, place,
online link) tell everyone registered (`signals.event_changed`). Cancelling needs a reason and tells
everyone registered (`signals.event_cancelled`); a cancelled event's registrations keep their states,
so who was registered stays known.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events import lifecycle, signals
from events import permissions as can
from events.models import Event, Session
from events.services import validation
from events.services.registrations import promote_waiting
from events.states import EventState
from grants_office.core.concurrency import Precondition, version_tag
from grants_office.core.errors import Conflict, Invalid, Reason, not_permitted

M2M = ("programmes", "themes", "audience_municipalities", "trainers", "materials")
# The fields whose change tells everyone registered.
MOVES = ("starts_at", "ends_at", "place", "online_url", "sessions")


def etag(event: Event) -> str:
    return version_tag("event", event.pk, event.version)


def _ensure_office(user) -> None:
    if not can.manages_events(user):
        raise not_permitted(_("Only the office runs events."))


def create_event(user, *, sessions=(), **fields) -> Event:
    """A new event, as a draft."""
    _ensure_office(user)
    relations = {name: list(fields.pop(name, None) or []) for name in M2M}
    values, sessions = validation.clean_event(fields, list(sessions or []), relations, creating=True)
    with transaction.atomic():
        event = Event(**values, created_by=user)
        _full_clean(event)
        event.save()
        _set_relations(event, relations)
        _write_sessions(event, sessions)
    return event


def _full_clean(event: Event) -> None:
    try:
        event.full_clean(exclude=["created_by", "state", *M2M])
    except ValidationError as error:
        raise validation.model_errors(error) from None


def _set_relations(event: Event, relations: dict) -> None:
    for name, items in relations.items():
        if items is not None:
            getattr(event, name).set(items)


def _write_sessions(event: Event, sessions: list[dict]) -> None:
    event.sessions.all().delete()
    Session.objects.bulk_create(
        Session(event=event, title=s.get("title") or "", starts_at=s["starts_at"], ends_at=s["ends_at"])
        for s in sessions
    )


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def update_event(user, event: Event, *, precondition: Precondition | None = None, sessions=None, **changes):
    """Change what the office announced while the event is still to come (draft, open or closed)."""
    _ensure_office(user)
    relations = {
        name: list(changes.pop(name)) for name in M2M if name in changes and changes[name] is not None
    }
    with transaction.atomic():
        locked = _locked(event)
        if precondition is not None:
            precondition.ensure(etag(locked))
        if locked.state not in EventState.EDITABLE:
            label = EventState(locked.state).label
            raise Conflict(
                _("The event is %(state)s: it no longer changes.") % {"state": label},
                reasons=[
                    Reason("wrong_state", _("Not possible from the state %(state)s.") % {"state": label})
                ],
            )
        before = _snapshot(locked)
        new_sessions = None
        if sessions is not None:
            new_sessions = list(sessions)
            if (
                _sessions_differ(locked, new_sessions)
                and locked.sessions.filter(attendance__isnull=False).exists()
            ):
                raise Conflict(
                    _("Attendance is taken: the sessions no longer change."),
                    reasons=[
                        Reason("attendance_taken", _("Attendance is taken: the sessions no longer change."))
                    ],
                )
        current = {field: getattr(locked, field) for field in validation.EDITABLE}
        merged = {**current, **{k: v for k, v in changes.items() if k in validation.EDITABLE}}
        values, cleaned_sessions = validation.clean_event(
            merged,
            new_sessions if new_sessions is not None else _sessions_of(locked),
            relations,
            creating=False,
        )
        for name, value in values.items():
            setattr(locked, name, value)
        locked.version += 1
        _full_clean(locked)
        locked.save()
        _set_relations(locked, relations)
        if new_sessions is not None and _sessions_differ(locked, cleaned_sessions):
            _write_sessions(locked, cleaned_sessions)
        promote_waiting(locked)
        moved = [name for name in MOVES if before[name] != _snapshot(locked)[name]]
        if moved and locked.state != EventState.DRAFT:
            signals.event_changed.send(sender=Event, event=locked, by=user, changes=moved)
    return locked


def _sessions_of(event: Event) -> list[dict]:
    return [
        {"title": s.title, "starts_at": s.starts_at, "ends_at": s.ends_at}
        for s in event.sessions.order_by("starts_at", "id")
    ]


def _sessions_differ(event: Event, sessions: list[dict]) -> bool:
    def key(rows):
        return [(r["title"] or "", r["starts_at"], r["ends_at"]) for r in rows]

    return key(_sessions_of(event)) != key(sorted(sessions, key=lambda s: s["starts_at"]))


def _snapshot(event: Event) -> dict:
    return {
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": event.place,
        "online_url": event.online_url,
        "sessions": [(s["starts_at"], s["ends_at"]) for s in _sessions_of(event)],
    }


def transition_event(user, event: Event, name: str, *, comment: str = "", reason: str = "") -> Event:
    """Run one step of the machine (open or close registration, reopen, mark held, archive, cancel)."""
    reason = str(reason or "").strip()[:4000]
    comment = str(comment or "").strip()[:4000]
    with transaction.atomic():
        locked = _locked(event)
        lifecycle.check(locked, name, user)
        if name == "cancel":
            if not reason:
                raise Invalid(
                    _("Say why the event is cancelled."), fields={"reason": [_("A reason is required.")]}
                )
            locked.cancel(by=user, description=comment or reason, reason=reason)
        else:
            getattr(locked, name)(by=user, description=comment)
        locked.version += 1
        locked.save()
        if name == "cancel":
            signals.event_cancelled.send(sender=Event, event=locked, by=user, reason=reason)
    return locked
