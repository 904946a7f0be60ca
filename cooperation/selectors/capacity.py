"""A member's capacity: whether it has a project team, its trained project managers (holders of valid
certificates of the trainings that count), the events its people attended, and the proposals it
submitted since the first of them. Four queries, whatever the numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from events.models import Certificate, Event
from events.states import EventState
from grants_office.members.models import Municipality
from workflows.models import Proposal

HELD = (EventState.HELD, EventState.ARCHIVED)
RECENT = 10


@dataclass(frozen=True)
class TrainedManager:
    name: str
    event: Event
    issued_at: datetime


@dataclass
class Capacity:
    municipality: Municipality
    trained_managers: list[TrainedManager] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # each with .attended and .certified
    first_event_at: datetime | None = None
    submitted_since: int = 0
    submitted_before: int = 0
    recent_submissions: list[Proposal] = field(default_factory=list)

    @property
    def has_project_team(self) -> bool:
        return self.municipality.has_project_team


def _trained(municipality: Municipality) -> list[TrainedManager]:
    certificates = (
        Certificate.objects.filter(
            registration__municipality=municipality,
            registration__event__trains_project_managers=True,
            revoked_at__isnull=True,
        )
        .select_related("registration__event")
        .order_by("registration__person_id", "-issued_at", "-id")
    )
    newest = {}
    for certificate in certificates:
        newest.setdefault(certificate.registration.person_id, certificate)
    found = [TrainedManager(c.holder_name, c.registration.event, c.issued_at) for c in newest.values()]
    return sorted(found, key=lambda manager: manager.name)


def _attended(municipality: Municipality) -> list[Event]:
    return list(
        Event.objects.filter(
            state__in=HELD,
            registrations__municipality=municipality,
            registrations__attendance__present=True,
        )
        .annotate(
            attended=Count(
                "registrations__person",
                filter=Q(registrations__municipality=municipality, registrations__attendance__present=True),
                distinct=True,
            ),
            certified=Count(
                "registrations__certificate",
                filter=Q(
                    registrations__municipality=municipality,
                    registrations__certificate__revoked_at__isnull=True,
                ),
                distinct=True,
            ),
        )
        .order_by("-starts_at", "-id")
    )


def municipality_capacity(municipality: Municipality) -> Capacity:
    events = _attended(municipality)
    capacity = Capacity(municipality, trained_managers=_trained(municipality), events=events)
    if not events:
        return capacity
    capacity.first_event_at = min(event.starts_at for event in events)
    submitted = Proposal.objects.alive().filter(lead=municipality, submitted_at__isnull=False)
    counts = submitted.aggregate(
        since=Count("pk", filter=Q(submitted_at__gte=capacity.first_event_at)),
        before=Count("pk", filter=Q(submitted_at__lt=capacity.first_event_at)),
    )
    capacity.submitted_since, capacity.submitted_before = counts["since"], counts["before"]
    capacity.recent_submissions = list(
        submitted.filter(submitted_at__gte=capacity.first_event_at)
        .select_related("call")
        .order_by("-submitted_at")[:RECENT]
    )
    return capacity
