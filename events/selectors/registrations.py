"""Reads of registrations: who sees which, the seats, the waiting list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

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


def with_positions(queryset: QuerySet) -> QuerySet[Registration]:
    """Each registration with `waiting_place`: its place on the waiting list (1 is next), None off it;
    one subquery, no query per row."""
    ahead = (
        Registration.objects.filter(event_id=OuterRef("event_id"), state=RegistrationState.WAITLISTED)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        waiting_place=Case(
            When(
                state=RegistrationState.WAITLISTED,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + Value(1),
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def _loaded(queryset: QuerySet) -> QuerySet[Registration]:
    return with_positions(
        queryset.select_related("event", "person", "municipality", "registered_by").order_by(
            "created_at", "id"
        )
    )


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
    number = str(pk)
    if not (number.isascii() and number.isdigit() and len(number) <= 18):
        return None
    row = Registration.objects.filter(pk=int(number)).select_related("event").first()
    if row is None:
        return None
    return registrations_visible_to(user, row.event).filter(pk=row.pk).first()


def my_registrations(user) -> QuerySet[Registration]:
    """The person's own registrations, of every state, the latest event first."""
    return with_positions(
        Registration.objects.filter(person_id=user.pk)
        .select_related("event", "municipality", "person", "registered_by")
        .order_by("-event__starts_at", "-id")
    )


def my_live_registrations(user, event_ids) -> dict[int, Registration]:
    """The person's live registration at each of these events, with its waiting place (one query)."""
    rows = with_positions(
        Registration.objects.filter(
            person_id=getattr(user, "pk", None),
            event_id__in=list(event_ids),
            state__in=RegistrationState.LIVE,
        )
    )
    return {row.event_id: row for row in rows}


def seat_counts(event: Event) -> Seats:
    """Confirmed, pending and waitlisted registrations and the seats left (None: no limit), one query."""
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
    """The place on the waiting list (1 is next), None off it; the order is who registered first."""
    if registration.state != RegistrationState.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, state=RegistrationState.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1
