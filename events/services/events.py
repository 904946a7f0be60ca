"""The office's writes of events: create (a draft), edit what it announced, and run the machine.

An event's `starts_at`/`ends_at` are always its sessions' span; without sessions given, the event's
start and end make its one session. Edits of a published event that move it (times, sessions, place,
online link) tell everyone registered (`signals.event_changed`). Cancelling needs a reason and tells
everyone registered (`signals.event_cancelled`). A cancelled event's registrations keep their states:
the event's state says it is off, and everyone who was registered stays known (and is told, and can be
moved to another date) instead of being lost in a wave of cancellations.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events import lifecycle, signals
from events import permissions as can
from events.models import RELATIONS, Event, Session
from events.services import validation
from events.services.registrations import promote_waiting, seated
from events.states import EventState
from grants_office.core.concurrency import Precondition, version_tag
from grants_office.core.errors import Conflict, Invalid, Reason, not_permitted

# The fields whose change tells everyone registered.
MOVES = ("starts_at", "ends_at", "place", "online_url", "sessions")


def etag(event: Event) -> str:
    return version_tag("event", event.pk, event.version)


def _ensure_office(user) -> None:
    if not can.manages_events(user):
        raise not_permitted(_("Only the office runs events."))


def create_event(
    user,
    *,
    sessions=(),
    programmes=(),
    themes=(),
    audience_municipalities=(),
    trainers=(),
    materials=(),
    **fields,
) -> Event:
    """A new event, as a draft. `sessions` are dicts {title, starts_at, ends_at}; without them the
    event's `starts_at` and `ends_at` make its one session."""
    _ensure_office(user)
    relations = {
        "programmes": list(programmes or []),
        "themes": list(themes or []),
        "audience_municipalities": list(audience_municipalities or []),
        "trainers": list(trainers or []),
        "materials": list(materials or []),
    }
    values, sessions = validation.clean_event(fields, list(sessions or []), relations)
    with transaction.atomic():
        event = Event(**values, created_by=user)
        _full_clean(event)
        event.save()
        _set_relations(event, relations)
        _write_sessions(event, sessions)
    return event


def _full_clean(event: Event) -> None:
    try:
        event.full_clean(exclude=["created_by", "state", *RELATIONS])
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


def _ensure_editable(event: Event) -> None:
    if event.state not in EventState.EDITABLE:
        label = EventState(event.state).label
        raise Conflict(
            _("The event is %(state)s: it no longer changes.") % {"state": label},
            reasons=[Reason("wrong_state", _("Not possible from the state %(state)s.") % {"state": label})],
            code="wrong_state",
        )


def _new_sessions(event: Event, sessions, changes: dict) -> list[dict] | None:
    """The sessions an edit asks for: those given; for a one-session event, its new start or end moves
    that session; None when they stay as they are."""
    if sessions is not None:
        return list(sessions)
    if "starts_at" not in changes and "ends_at" not in changes:
        return None
    current = _sessions_of(event)
    if len(current) > 1:
        message = _("The event has several sessions: change the sessions instead.")
        raise Invalid(message, fields={"starts_at": [message]})
    title = current[0]["title"] if current else ""
    return [
        {
            "title": title,
            "starts_at": changes.get("starts_at") or event.starts_at,
            "ends_at": changes.get("ends_at") or event.ends_at,
        }
    ]


def _ensure_sessions_may_change(event: Event, sessions: list[dict] | None) -> None:
    if sessions is None or not _sessions_differ(event, sessions):
        return
    if event.sessions.filter(attendance__isnull=False).exists():
        message = _("Attendance is taken: the sessions no longer change.")
        raise Conflict(message, reasons=[Reason("attendance_taken", message)], code="attendance_taken")


def _ensure_capacity_holds_the_seated(event: Event, values: dict) -> None:
    capacity = values.get("capacity")
    if capacity is None:
        return
    taken = seated(event)
    if capacity < taken:
        message = _("%(count)s people hold a seat already: the capacity cannot be lower.") % {"count": taken}
        raise Invalid(message, fields={"capacity": [message]})


def update_event(
    user, event: Event, *, precondition: Precondition | None = None, sessions=None, **changes
) -> Event:
    """Change what the office announced while the event is still to come (draft, open or closed); with
    `precondition`, only the version the editor read (else 412). A raised capacity seats the waiting
    list in order; moving a published event tells everyone registered."""
    _ensure_office(user)
    given = {name: changes.pop(name, None) for name in RELATIONS}
    relations = {name: list(items) for name, items in given.items() if items is not None}
    with transaction.atomic():
        locked = _locked(event)
        if precondition is not None:
            precondition.ensure(etag(locked))
        _ensure_editable(locked)
        before = _snapshot(locked)
        new_sessions = _new_sessions(locked, sessions, changes)
        _ensure_sessions_may_change(locked, new_sessions)
        current = {name: getattr(locked, name) for name in validation.EDITABLE}
        as_they_will_be = {
            "audience_municipalities": list(locked.audience_municipalities.all()),
            **relations,
        }
        values, cleaned_sessions = validation.clean_event(
            {**current, **changes},
            new_sessions if new_sessions is not None else _sessions_of(locked),
            as_they_will_be,
        )
        _ensure_capacity_holds_the_seated(locked, values)
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
        return [(r.get("title") or "", r.get("starts_at"), r.get("ends_at")) for r in rows]

    given = sorted(sessions, key=lambda s: (s.get("starts_at") is None, s.get("starts_at") or 0))
    return key(_sessions_of(event)) != key(given)


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
