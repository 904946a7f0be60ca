"""What a municipality's or an organisation's page shows: its cooperation profile, the open calls it
may lead, its agreements and networks, its partner requests, its funded projects in the service and (a
municipality's) capacity: its project team, trained project managers and the events it attended."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cooperation import permissions as can
from cooperation.models import Cooperation, PartnerProfile, PartnerRequest
from cooperation.selectors.agreements import cooperations_of
from cooperation.selectors.capacity import Capacity, municipality_capacity
from cooperation.selectors.eligibility import open_calls_for
from cooperation.selectors.partners import PastProject, past_projects
from cooperation.selectors.requests import requests_visible_to
from grants_office.calls.models import Call
from grants_office.core.errors import NotFound
from grants_office.members.models import Municipality, Organisation

_PROFILE = PartnerProfile.objects.prefetch_related("themes")


@dataclass
class PartyPage:
    party: Municipality | Organisation
    profile: PartnerProfile
    cooperations: list[Cooperation]
    projects: list[PastProject]
    calls: list[Call] = field(default_factory=list)
    requests: list[PartnerRequest] = field(default_factory=list)
    capacity: Capacity | None = None
    capacity_details: bool = False


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def _cooperations(user, party) -> list[Cooperation]:
    """Agreements are for the members (`takes_part`), as in the registry."""
    return list(cooperations_of(party)) if can.takes_part(user) else []


def municipality_page(user, pk) -> PartyPage:
    municipality = _get(Municipality.objects.all(), pk)
    profile = _PROFILE.get(municipality=municipality)
    return PartyPage(
        party=municipality,
        profile=profile,
        cooperations=_cooperations(user, municipality),
        projects=past_projects(profile),
        calls=open_calls_for(municipality),
        requests=list(
            requests_visible_to(user)
            .filter(municipality=municipality, state=PartnerRequest.State.OPEN)
            .order_by("answer_by", "id")
        ),
        capacity=municipality_capacity(municipality),
        capacity_details=can.sees_capacity_details(user, municipality),
    )


def organisation_page(user, pk) -> PartyPage:
    organisation = _get(Organisation.objects.all(), pk)
    profile = _PROFILE.get(organisation=organisation)
    return PartyPage(
        party=organisation,
        profile=profile,
        cooperations=_cooperations(user, organisation),
        projects=past_projects(profile),
    )
