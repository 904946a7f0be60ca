"""The world of partner requests: a requesting team with a proposal in drafting, a Bulgarian
organisation's contact and another member municipality's team."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PartnerRequestFactory,
    ProposalFactory,
    TeamMembershipFactory,
)
from workflows.states import State


@pytest.fixture
def requester_team(db):
    return TeamMembershipFactory(municipality=MunicipalityFactory(name="Çorlu Belediyesi"))


@pytest.fixture
def requester(requester_team):
    return requester_team.user


@pytest.fixture
def proposal(requester_team):
    return ProposalFactory(lead=requester_team.municipality, state=State.DRAFTING)


@pytest.fixture
def bulgarian(db):
    return OrganisationFactory(name="Община Хасково", country="BG")


@pytest.fixture
def contact(bulgarian):
    """A partner contact of the Bulgarian organisation."""
    return TeamMembershipFactory(municipality=None, organisation=bulgarian).user


@pytest.fixture
def other_team(db):
    return TeamMembershipFactory(municipality=MunicipalityFactory(name="Kırklareli Belediyesi"))


@pytest.fixture
def open_request(proposal, requester):
    return PartnerRequestFactory(
        municipality=proposal.lead, proposal=proposal, call=proposal.call, created_by=requester
    )


@pytest.fixture
def tomorrow():
    return timezone.localdate() + timedelta(days=1)
