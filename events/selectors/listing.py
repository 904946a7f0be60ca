"""The events list and page: what the pages read, with what they show loaded."""

from __future__ import annotations

from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import RELATIONS, Event, Registration, Session
from events.selectors.visibility import events_visible_to, visible_event
from events.states import EventState, RegistrationState
from grants_office.members.models import ExpertProfile

WHEN = ("upcoming", "past", "all")
SESSIONS = Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "id"))


def event_list(user, *, kind: str = "", when: str = "upcoming", programme=None) -> QuerySet[Event]:
    """The events the person sees: upcoming (not over yet) soonest first, past newest first."""
    events = events_visible_to(user).prefetch_related("programmes")
    now = timezone.now()
    if kind:
        events = events.filter(kind=kind)
    if programme is not None:
        events = events.filter(programmes=programme)
    if when == "past":
        return events.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    if when == "upcoming":
        events = events.filter(ends_at__gt=now).exclude(state=EventState.CANCELLED)
    return events.order_by("starts_at", "id")


def event_page(user, pk) -> Event:
    """One event with what its page shows."""
    queryset = Event.objects.prefetch_related(
        "programmes",
        "themes",
        "materials",
        "audience_municipalities",
        SESSIONS,
        Prefetch("trainers", queryset=ExpertProfile.objects.select_related("user")),
    )
    return visible_event(user, pk, queryset)


def event_answered(user, pk) -> Event:
    """One event as the API answers it: with its sessions. The API gives the five relations as ids
    (`attach_related_ids`, one query), so building their objects here would be work thrown away."""
    return visible_event(user, pk, Event.objects.prefetch_related(SESSIONS))


def registrations_on_page(user, event: Event) -> list[Registration]:
    """On the event page: the person's own registrations and those they made for colleagues."""
    return list(
        Registration.objects.filter(Q(person_id=user.pk) | Q(registered_by_id=user.pk), event=event)
        .select_related("person", "municipality")
        .order_by("created_at", "id")
    )


def _seats(state: str):
    """A correlated count, computed for the rows of the page only: counting by a join grouped every event
    with every registration before the page was cut (18 ms a page, and the page count grouped too, at
    ten years of events; issue 18). The registrations' (event, state) index answers it."""
    registrations = Registration.objects.filter(event_id=OuterRef("pk"), state=state).order_by()
    return Coalesce(Subquery(registrations.annotate(n=Func(F("pk"), function="COUNT")).values("n")), 0)


def with_seats(events: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with its seat counts (for lists: no query per row)."""
    return events.annotate(
        seats_confirmed=_seats(RegistrationState.CONFIRMED),
        seats_pending=_seats(RegistrationState.PENDING),
        seats_waitlisted=_seats(RegistrationState.WAITLISTED),
    )


def _through_ids(position: int, relation: str, event_ids: list[int]) -> QuerySet:
    """(position of the relation, event id, related id) rows of one many-to-many table, no join."""
    field = Event._meta.get_field(relation)
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    return (
        field.remote_field.through.objects.filter(**{f"{source}__in": event_ids})
        .order_by()
        .values_list(Value(position, output_field=IntegerField()), source, target)
    )


def attach_related_ids(events: list[Event]) -> list[Event]:
    """Set `event.related_ids` ({relation: ascending ids}) on each event of a page: the five
    many-to-many tables read in one query, ids only. Prefetching them built every programme, theme,
    municipality, trainer and document set of the page to give their ids (five queries with a join
    each; issue 18)."""
    event_ids = [event.pk for event in events]
    for event in events:
        event.related_ids = {relation: [] for relation in RELATIONS}
    if not event_ids:
        return events
    by_pk = {event.pk: event for event in events}
    first, *rest = [_through_ids(n, relation, event_ids) for n, relation in enumerate(RELATIONS)]
    for position, event_id, related_id in first.union(*rest, all=True):
        by_pk[event_id].related_ids[RELATIONS[position]].append(related_id)
    for event in events:
        for ids in event.related_ids.values():
            ids.sort()
    return events
