"""Who an event is for: the one reading of its audience, as a question about one municipality
(`in_audience`, for registration) and as a query over many (`audience_q`, for lists and counts)."""

from __future__ import annotations

from django.db.models import Q

from events.models import Event
from grants_office.members.models import Municipality

Audience = Event.Audience


def audience_q(event: Event) -> Q:
    """The member municipalities an event is for, as a condition on Municipality."""
    condition = Q(membership_status=Municipality.Membership.MEMBER)
    if event.audience == Audience.CHOSEN:
        condition &= Q(pk__in=event.audience_municipalities.values("pk"))
    elif event.audience == Audience.PROVINCES:
        condition &= Q(province__in=list(event.audience_provinces or []))
    elif event.audience == Audience.WITHOUT_PROJECT_TEAM:
        condition &= Q(has_project_team=False)
    return condition


def in_audience(event: Event, municipality: Municipality, chosen_ids: set[int] | None = None) -> bool:
    """Whether the event is for this municipality; `chosen_ids` are the event's chosen municipalities
    when the caller read them already."""
    if not municipality.is_member:
        return False
    if event.audience == Audience.CHOSEN:
        if chosen_ids is None:
            chosen_ids = {m.pk for m in event.audience_municipalities.all()}
        return municipality.pk in chosen_ids
    if event.audience == Audience.PROVINCES:
        return municipality.province in (event.audience_provinces or [])
    if event.audience == Audience.WITHOUT_PROJECT_TEAM:
        return not municipality.has_project_team
    return True
