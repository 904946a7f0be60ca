"""Reads of events: which events a person sees, and the one visible event a request is about.

Who sees an event: the office every one; anyone else the announced ones (not drafts) that are for one of
the member municipalities on whose team they are today, those they registered for (or were
registered for), and those they train at (an expert of the pool).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from events.models import Event, Registration
from events.states import EventState
from grants_office.core.errors import NotFound
from grants_office.core.people import signed_in
from grants_office.members.models import Municipality
from grants_office.members.permissions import is_office_staff
from grants_office.members.selectors import teams_today


def _for_my_municipalities(user) -> Q:
    """Announced events whose audience holds one of the person's member municipalities today."""
    members = list(
        Municipality.objects.filter(
            pk__in=teams_today(user)[0], membership_status=Municipality.Membership.MEMBER
        ).values_list("pk", "province", "has_project_team")
    )
    if not members:
        return Q(pk__in=[])
    ids = [pk for pk, _p, _t in members]
    provinces = {province for _pk, province, _t in members}
    chosen = Event.audience_municipalities.through.objects.filter(municipality_id__in=ids).values("event_id")
    # Province audiences are a JSON list: read them (few rows) rather than ask a JSON lookup that
    # SQLite lacks.
    by_province = [
        pk
        for pk, listed in Event.objects.filter(audience=Event.Audience.PROVINCES).values_list(
            "pk", "audience_provinces"
        )
        if provinces & set(listed or [])
    ]
    condition = (
        Q(audience=Event.Audience.ALL_MEMBERS)
        | Q(audience=Event.Audience.CHOSEN, pk__in=chosen)
        | Q(audience=Event.Audience.PROVINCES, pk__in=by_province)
    )
    if any(not has_team for _pk, _p, has_team in members):
        condition |= Q(audience=Event.Audience.WITHOUT_PROJECT_TEAM)
    return condition


def visible_event_ids(user) -> QuerySet:
    """The ids of the events this person sees (a subquery for lists)."""
    if is_office_staff(user):
        return Event.objects.values("pk")
    registered = Registration.objects.filter(person_id=user.pk).values("event_id")
    trains = Event.trainers.through.objects.filter(expertprofile__user_id=user.pk).values("event_id")
    return (
        Event.objects.filter(state__in=EventState.PUBLISHED)
        .filter(_for_my_municipalities(user) | Q(pk__in=registered) | Q(pk__in=trains))
        .values("pk")
    )


def events_visible_to(user) -> QuerySet[Event]:
    if not signed_in(user):
        return Event.objects.none()
    if is_office_staff(user):
        return Event.objects.all()
    return Event.objects.filter(pk__in=visible_event_ids(user))


def visible_event(user, pk, queryset: QuerySet[Event] | None = None) -> Event:
    """The event `pk` if this person sees it; `NotFound` otherwise (and for a pk that is no number)."""
    if queryset is None:
        queryset = events_visible_to(user)
    elif not is_office_staff(user):
        queryset = queryset.filter(pk__in=visible_event_ids(user))
    try:
        return queryset.get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None
