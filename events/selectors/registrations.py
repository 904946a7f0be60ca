"""Reads of registrations: who sees which, the seats, the waiting list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from events.models import Event, Registration
from events.states import RegistrationState
from grants_office.members.models import TeamMembership
from grants_office.members.permissions import is_office_staff
from grants_office.members.selectors import memberships_today


@dataclass(frozen=True)
class Seats:
    confirmed: int
    pending: int
    waitlisted: int
    left: int | None  # None: no limit


def _loaded(queryset: QuerySet) -> QuerySet[Registration]:
    return queryset.select_related("person", "municipality", "registered_by").order_by("created_at", "id")


def registrations_visible_to(user, event: Event) -> QuerySet[Registration]:
    """The office: every registration of the event; a team lead: their municipalities' and their own;
    anyone else: their own (and those they made for someone)."""
    rows = Registration.objects.filter(event=event)
    if not is_office_staff(user):
        led = [m for m, _o, role in memberships_today(user) if m and role == TeamMembership.Role.LEAD]
        rows = rows.filter(Q(person_id=user.pk) | Q(registered_by_id=user.pk) | Q(municipality_id__in=led))
    return _loaded(rows)


def registration_visible_to(user, pk) -> Registration | None:
    """One registration the person sees (by the same rule), or None."""
    row = Registration.objects.filter(pk=pk).select_related("event").first() if str(pk).isdigit() else None
    if row is None:
        return None
    return registrations_visible_to(user, row.event).filter(pk=row.pk).select_related("event").first()


def my_registrations(user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(person_id=user.pk)
        .select_related("event", "municipality", "person", "registered_by")
        .order_by("-event__starts_at", "-id")
    )


def seat_counts(event: Event) -> Seats:
    counts = event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(state=RegistrationState.CONFIRMED)),
        pending=Count("pk", filter=Q(state=RegistrationState.PENDING)),
        waitlisted=Count("pk", filter=Q(state=RegistrationState.WAITLISTED)),
    )
    left = None
    if event.capacity is not None:
        left = max(0, event.capacity - counts["confirmed"])
    return Seats(left=left, **counts)


def waiting_position(registration: Registration) -> int | None:
    if registration.state != RegistrationState.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, state=RegistrationState.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1
