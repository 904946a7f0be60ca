"""Attendance, taken by the office per session once registration has closed (and corrected after the
event is held): present or absent for each confirmed registration. A second call for the same session
corrects the first; the marks of the people it does not name stay as they were."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import permissions as can
from events.models import Attendance, Event, Registration, Session
from events.states import EventState, RegistrationState
from grants_office.core.errors import Invalid, not_permitted, refused

# A registration id the database can hold: anything beyond is nobody's (and never reaches a query).
MAX_ID = 2**63 - 1


def _ids(values: Iterable, name: str, errors: dict) -> set[int]:
    """The ids as numbers; what is no id is named in `errors[name]`."""
    ids, bad = set(), []
    for value in values or ():
        text = str(value)
        if isinstance(value, bool) or not text.isdecimal() or len(text) > 19 or int(text) > MAX_ID:
            bad.append(text[:40])
        else:
            ids.add(int(text))
    if bad:
        errors.setdefault(name, []).append(_("Not a registration: %(ids)s.") % {"ids": ", ".join(bad)})
    return ids


def _check_people(event: Event, present: set[int], absent: set[int], errors: dict) -> None:
    both = sorted(present & absent)
    if both:
        message = _("Both present and absent: %(ids)s.") % {"ids": ", ".join(map(str, both))}
        errors.setdefault("present", []).append(message)
        errors.setdefault("absent", []).append(message)
    confirmed = set(
        Registration.objects.filter(
            event=event, state=RegistrationState.CONFIRMED, pk__in=present | absent
        ).values_list("pk", flat=True)
    )
    for name, ids in (("present", present), ("absent", absent)):
        strangers = sorted(ids - confirmed)
        if strangers:
            errors.setdefault(name, []).append(
                _("Not registered for this event: %(ids)s.") % {"ids": ", ".join(map(str, strangers))}
            )


def _check_session(event: Event, session) -> None:
    if not isinstance(session, Session) or session.event_id != event.pk:
        raise Invalid(_("Invalid input."), fields={"session": [_("Choose a session of this event.")]})
    if session.starts_at > timezone.now():
        raise refused("session_not_started", _("The session has not started yet."))


def _write(user, session: Session, present: set[int], absent: set[int]) -> list[Attendance]:
    """Upsert the marks in a fixed number of queries (the unique (session, registration) pair keeps one
    mark each; the event row is locked, so nobody writes them meanwhile)."""
    now = timezone.now()
    existing = {
        mark.registration_id: mark
        for mark in Attendance.objects.filter(session=session, registration_id__in=present | absent)
    }
    marks, new = [], []
    for registration_id in sorted(present | absent):
        mark = existing.get(registration_id) or Attendance(session=session, registration_id=registration_id)
        mark.present, mark.marked_by, mark.marked_at = registration_id in present, user, now
        (new if mark.pk is None else marks).append(mark)
    Attendance.objects.bulk_update(marks, ["present", "marked_by", "marked_at"])
    Attendance.objects.bulk_create(new)
    return sorted([*marks, *new], key=lambda mark: mark.registration_id)


def record_attendance(user, event: Event, *, session, present=(), absent=()) -> list[Attendance]:
    """Mark the given confirmed registrations (ids) present or absent at one session of the event."""
    if not can.manages_events(user):
        raise not_permitted(_("Only the office takes attendance."))
    errors: dict[str, list[str]] = {}
    present_ids, absent_ids = _ids(present, "present", errors), _ids(absent, "absent", errors)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.state not in EventState.TAKES_ATTENDANCE:
            raise refused("wrong_state", _("Attendance is taken once registration has closed."))
        _check_session(locked, session)
        _check_people(locked, present_ids, absent_ids, errors)
        if errors:
            raise Invalid(_("Invalid input."), fields=errors)
        return _write(user, session, present_ids, absent_ids)
