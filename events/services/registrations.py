"""Registrations: members' staff register themselves (a team lead also colleagues), a waiting list
fills when the event is full and moves up in order, the office approves, refuses or moves people.

Every write locks the event row first, so seats and the waiting list never race: of two people taking
the last seat, one gets it and the other the waiting list (or a 409 when there is none).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from events import permissions as can
from events import signals
from events.audience import in_audience
from events.models import Event, Registration
from events.selectors.visibility import visible_event
from events.states import EventState, RegistrationState
from grants_office.core.errors import Invalid, not_permitted, refused
from grants_office.core.people import display_name
from grants_office.members.models import Municipality
from grants_office.members.selectors import teams_today


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def seated(event: Event) -> int:
    return event.registrations.filter(state__in=RegistrationState.SEATED).count()


def _has_seat(event: Event) -> bool:
    return event.capacity is None or seated(event) < event.capacity


def _when(moment, event: Event) -> str:
    return formats.date_format(timezone.localtime(moment, event.tz), "DATETIME_FORMAT")


def _ensure_open(event: Event, now) -> None:
    if event.state != EventState.OPEN:
        raise refused("registration_not_open", _("Registration for this event is not open."))
    if not event.registration_window_open(now):
        if event.registration_opens_at is None or event.registration_closes_at is None:
            raise refused("outside_registration_window", _("The office has not set the registration window."))
        raise refused(
            "outside_registration_window",
            _("Registration is open from %(opens)s to %(closes)s (%(zone)s).")
            % {
                "opens": _when(event.registration_opens_at, event),
                "closes": _when(event.registration_closes_at, event),
                "zone": event.time_zone,
            },
        )


def _default_municipality(person, teams: set[int]) -> Municipality:
    """The one member municipality on whose team the person is today."""
    choices = list(
        Municipality.objects.filter(pk__in=teams, membership_status=Municipality.Membership.MEMBER)
    )
    if len(choices) != 1:
        message = _("Choose the municipality.") if choices else _("The person is on no member's team today.")
        raise Invalid(message, fields={"municipality": [message]})
    return choices[0]


def _ensure_may_register(user, person, municipality: Municipality) -> None:
    if can.registers(user, municipality.pk, person):
        return
    if person.pk == user.pk:
        raise not_permitted(
            _("You are not on the team of %(municipality)s today.") % {"municipality": municipality.name}
        )
    raise not_permitted(_("Only the team lead registers colleagues."))


def _ensure_on_team(person, municipality: Municipality, teams: set[int]) -> None:
    if municipality.pk not in teams:
        message = _("%(person)s is not on the team of %(municipality)s today.") % {
            "person": display_name(person),
            "municipality": municipality.name,
        }
        raise Invalid(message, fields={"person": [message]})


def _within_municipality_limit(event: Event, municipality: Municipality) -> None:
    if event.seats_per_municipality is None:
        return
    taken = event.registrations.filter(municipality=municipality, state__in=RegistrationState.LIVE).count()
    if taken >= event.seats_per_municipality:
        raise refused(
            "municipality_seats_taken",
            _("Each municipality may register at most %(count)s people.")
            % {"count": event.seats_per_municipality},
        )


def _place(event: Event) -> str:
    """The state a new registration takes at this event now."""
    if event.requires_approval:
        return RegistrationState.PENDING
    if _has_seat(event):
        return RegistrationState.CONFIRMED
    if event.waiting_list:
        return RegistrationState.WAITLISTED
    raise refused("event_full", _("The event is full."))


def register(user, event: Event, *, person=None, municipality: Municipality | None = None) -> Registration:
    """Register `person` (oneself by default) for the member municipality whose staff they are (by
    default the only one). The checks run in a fixed order, so a client is told the first thing that
    stands in the way: the state, the window, who may, the team, the audience, a second place, the
    municipality's share; then the place is a seat, pending approval, or the waiting list."""
    person = person or user
    visible_event(user, event.pk)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(event)
        _ensure_open(locked, now)
        teams = set(teams_today(person)[0])
        if municipality is None:
            municipality = _default_municipality(person, teams)
        _ensure_may_register(user, person, municipality)
        _ensure_on_team(person, municipality, teams)
        if not in_audience(locked, municipality):
            raise refused(
                "not_in_audience", _("This event is not for %(name)s.") % {"name": municipality.name}
            )
        if locked.registrations.filter(person=person, state__in=RegistrationState.LIVE).exists():
            raise refused("already_registered", _("Already registered for this event."))
        _within_municipality_limit(locked, municipality)
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=locked,
                    person=person,
                    municipality=municipality,
                    registered_by=user,
                    state=_place(locked),
                )
        except IntegrityError:
            raise refused("already_registered", _("Already registered for this event.")) from None
        signals.registration_created.send(sender=Registration, registration=registration, by=user)
    return registration


def promote_waiting(event: Event, *, by=None) -> list[Registration]:
    """Seats that came free go to the waiting list in the order people registered (the caller holds the
    event's lock)."""
    promoted = []
    waiting = event.registrations.filter(state=RegistrationState.WAITLISTED).order_by("created_at", "id")
    free = None if event.capacity is None else event.capacity - seated(event)
    for registration in waiting[: free if free is not None else None]:
        registration.state = RegistrationState.CONFIRMED
        registration.decided_at = timezone.now()
        registration.save(update_fields=["state", "decided_at"])
        signals.registration_confirmed.send(sender=Registration, registration=registration, by=by)
        promoted.append(registration)
    return promoted


def _locked_registration(registration: Registration) -> tuple[Event, Registration]:
    event = _lock(registration.event)
    locked = (
        Registration.objects.select_for_update()
        .select_related("person", "municipality")
        .get(pk=registration.pk)
    )
    return event, locked


def _ensure_live(registration: Registration) -> None:
    if registration.state not in RegistrationState.LIVE:
        raise refused(
            "not_live", _("This registration is %(state)s.") % {"state": registration.get_state_display()}
        )


def _ensure_upcoming(event: Event, message: str = "") -> None:
    if event.state not in EventState.UPCOMING or event.starts_at <= timezone.now():
        raise refused(
            "event_started",
            message or _("The event has begun or is over: registrations no longer change."),
        )


def cancel_registration(user, registration: Registration) -> Registration:
    """Give up a place (the person, whoever registered them, their team lead or the office) while the
    event is to come; a freed seat goes to the first on the waiting list."""
    if not can.cancels_registration(user, registration):
        raise not_permitted(_("Only the person, whoever registered them, their team lead or the office."))
    with transaction.atomic():
        event, locked = _locked_registration(registration)
        _ensure_live(locked)
        _ensure_upcoming(event)
        locked.state = RegistrationState.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["state", "cancelled_at"])
        signals.registration_cancelled.send(sender=Registration, registration=locked, by=user)
        promote_waiting(event)
    return locked


def _ensure_office(user) -> None:
    if not can.manages_events(user):
        raise not_permitted(_("Only the office decides on registrations."))


def approve_registration(user, registration: Registration) -> Registration:
    """A pending registration gets its seat, or a place on the waiting list when the event is full."""
    _ensure_office(user)
    with transaction.atomic():
        event, locked = _locked_registration(registration)
        if locked.state != RegistrationState.PENDING:
            raise refused("not_pending", _("Only a registration waiting for approval is approved."))
        _ensure_upcoming(event)
        has_seat = _has_seat(event)
        if not has_seat and not event.waiting_list:
            raise refused("event_full", _("The event is full."))
        locked.state = RegistrationState.CONFIRMED if has_seat else RegistrationState.WAITLISTED
        locked.decided_at, locked.decided_by = timezone.now(), user
        locked.save(update_fields=["state", "decided_at", "decided_by"])
        if locked.state == RegistrationState.CONFIRMED:
            signals.registration_confirmed.send(sender=Registration, registration=locked, by=user)
    return locked


def refuse_registration(user, registration: Registration, *, reason: str) -> Registration:
    """The office refuses a live registration, with the reason the person is told; a freed seat goes to
    the waiting list."""
    _ensure_office(user)
    reason = str(reason or "").strip()[:2000]
    if not reason:
        raise Invalid(
            _("Say why the registration is refused."), fields={"reason": [_("A reason is required.")]}
        )
    with transaction.atomic():
        event, locked = _locked_registration(registration)
        _ensure_live(locked)
        locked.state = RegistrationState.REFUSED
        locked.refusal_reason = reason
        locked.decided_at, locked.decided_by = timezone.now(), user
        locked.save(update_fields=["state", "refusal_reason", "decided_at", "decided_by"])
        signals.registration_refused.send(sender=Registration, registration=locked, by=user, reason=reason)
        promote_waiting(event)
    return locked


def move_registration(user, registration: Registration, *, to_event: Event | None) -> Registration:
    """The office moves a person to another event still to come (its next date, say): a seat there if
    one is free, else its waiting list; the seat here goes to the waiting list."""
    _ensure_office(user)
    if to_event is None or to_event.pk == registration.event_id:
        raise Invalid(_("Choose another event."), fields={"event": [_("Choose another event.")]})
    with transaction.atomic():
        first, second = sorted([registration.event_id, to_event.pk])
        events = {
            e.pk: e for e in Event.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")
        }
        here, there = events[registration.event_id], events[to_event.pk]
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        _ensure_live(locked)
        _ensure_upcoming(there, _("People are moved only to an event still to come that is announced."))
        if there.registrations.filter(person_id=locked.person_id, state__in=RegistrationState.LIVE).exists():
            raise refused("already_registered", _("Already registered for that event."))
        state = RegistrationState.CONFIRMED if _has_seat(there) else RegistrationState.WAITLISTED
        moved = Registration.objects.create(
            event=there,
            person_id=locked.person_id,
            municipality_id=locked.municipality_id,
            registered_by=user,
            state=state,
        )
        locked.state, locked.cancelled_at, locked.moved_to = (
            RegistrationState.CANCELLED,
            timezone.now(),
            moved,
        )
        locked.save(update_fields=["state", "cancelled_at", "moved_to"])
        signals.registration_moved.send(sender=Registration, registration=locked, by=user)
        promote_waiting(here)
    return moved
