"""Capacity building in a year (by the event's start, Europe/Istanbul): the events held by kind, the
people who attended at least one session, the certificates issued (valid ones), per member municipality
and in total, and how many members without a project team were reached. Five queries, whatever the
year holds; the dashboard and the annual report read the same answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from events.models import Attendance, Certificate, Event
from events.states import EventState
from grants_office.members.models import Municipality
from grants_office.members.provinces import turkish_key
from reports.filters import year_start

HELD = (EventState.HELD, EventState.ARCHIVED)


@dataclass
class CapacityLine:
    name: str
    province: str = ""
    has_project_team: bool = False
    events: int = 0
    participants: int = 0
    certificates: int = 0


@dataclass
class CapacityYear:
    year: int
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    events: int = 0
    participants: int = 0
    certificates: int = 0
    members: list[CapacityLine] = field(default_factory=list)

    @property
    def reached_without_team(self) -> int:
        return sum(1 for line in self.members if not line.has_project_team and line.participants)


def capacity_year(year: int) -> CapacityYear:
    held = Event.objects.filter(
        state__in=HELD, starts_at__gte=year_start(year), starts_at__lt=year_start(year + 1)
    ).order_by()
    kinds = dict(Event.Kind.choices)
    by_kind = dict(held.values_list("kind").annotate(count=Count("pk")).values_list("kind", "count"))
    found = CapacityYear(
        year=year,
        by_kind=[(kinds[kind], by_kind[kind]) for kind in Event.Kind.values if kind in by_kind],
        events=sum(by_kind.values()),
    )
    present = Attendance.objects.filter(present=True, registration__event__in=held.values("pk")).order_by()
    found.participants = present.aggregate(people=Count("registration__person", distinct=True))["people"]
    per_member = {
        row["registration__municipality"]: row
        for row in present.values("registration__municipality").annotate(
            people=Count("registration__person", distinct=True),
            attended=Count("registration__event", distinct=True),
        )
    }
    valid = Certificate.objects.filter(
        revoked_at__isnull=True, registration__event__in=held.values("pk")
    ).order_by()
    certified = dict(
        valid.values("registration__municipality")
        .annotate(count=Count("pk"))
        .values_list("registration__municipality", "count")
    )
    found.certificates = sum(certified.values())
    municipalities = Municipality.objects.filter(pk__in={*per_member, *certified})
    for municipality in sorted(municipalities, key=lambda m: turkish_key(m.name)):
        row = per_member.get(municipality.pk, {})
        found.members.append(
            CapacityLine(
                name=municipality.name,
                province=municipality.province,
                has_project_team=municipality.has_project_team,
                events=row.get("attended", 0),
                participants=row.get("people", 0),
                certificates=certified.get(municipality.pk, 0),
            )
        )
    return found
