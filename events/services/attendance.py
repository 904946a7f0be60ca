"""Attendance, taken by the office per session once registration has closed (and corrected after the
event): present or absent for each confirmed registration."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import permissions as can
from events.models import Attendance, Event, Registration, Session
from events.services.registrations import refuse
from events.states import EventState, RegistrationState
from grants_office.core.errors import Invalid, not_permitted


def _ids(values, name: str, errors: dict) -> set[int]:
    ids = set()
    for value in values or []:
        if isinstance(value, bool) or not str(value).isdigit():
            errors.setdefault(name, []).append(_("Not a registration: %(value)s.") % {"value": value})
        else:
            ids.add(int(value))
    return ids


def _check(event: Event, session, present: set, absent: set, errors: dict) -> None:
    if not isinstance(session, Session) or session.event_id != event.pk:
        errors["session"] = [_("Choose a session of this event.")]
    both = present & absent
    if both:
        errors["absent"] = [
            _("Both present and absent: %(ids)s.") % {"ids": ", ".join(map(str, sorted(both)))}
        ]
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


def record_attendance(user, event: Event, *, session, present=(), absent=()) -> list[Attendance]:
    """Mark the given confirmed registrations present or absent at one session (again: a correction)."""
    if not can.manages_events(user):
        raise not_permitted(_("Only the office takes attendance."))
    errors: dict[str, list[str]] = {}
    present_ids, absent_ids = _ids(present, "present", errors), _ids(absent, "absent", errors)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.state not in EventState.TAKES_ATTENDANCE:
            raise refuse("wrong_state", _("Attendance is taken once registration has closed."))
        _check(locked, session, present_ids, absent_ids, errors)
        if errors:
            raise Invalid(_("Invalid input."), fields=errors)
        if session.starts_at > timezone.now():
            raise refuse("session_not_started", _("The session has not started yet."))
        marks = []
        for registration_id in sorted(present_ids | absent_ids):
            mark, _created = Attendance.objects.update_or_create(
                session=session,
                registration_id=registration_id,
                defaults={
                    "present": registration_id in present_ids,
                    "marked_by": user,
                    "marked_at": timezone.now(),
                },
            )
            marks.append(mark)
    return marks
