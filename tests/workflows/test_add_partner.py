"""`workflows.services.add_partner`: one partner at a time, with the partner list's rules."""

import pytest

from grants_office.core.errors import Conflict, Invalid, NotFound
from tests.factories import (
    CallEligibilityFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProposalFactory,
    TeamMembershipFactory,
)
from workflows import access, services
from workflows.models import Proposal, ProposalPartner
from workflows.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_team():
    return TeamMembershipFactory()


@pytest.fixture
def drafting(lead_team):
    return ProposalFactory(lead=lead_team.municipality, state=State.DRAFTING)


def codes(refused):
    return [reason.code for reason in refused.value.reasons]


def test_added_partner_team_sees_the_proposal_at_once(lead_team, drafting):
    organisation = OrganisationFactory()
    contact = TeamMembershipFactory(municipality=None, organisation=organisation).user
    partner = services.add_partner(drafting, organisation, ProposalPartner.Role.ASSOCIATED, lead_team.user)
    assert partner.role == ProposalPartner.Role.ASSOCIATED
    assert access.can_view(contact, drafting)


def test_office_adds_a_member_municipality(office_user, drafting):
    municipality = MunicipalityFactory()
    services.add_partner(drafting, municipality, ProposalPartner.Role.PARTNER, office_user)
    assert drafting.partners.get().municipality == municipality


def test_lead_is_not_its_own_partner(lead_team, drafting):
    with pytest.raises(Conflict) as refused:
        services.add_partner(drafting, drafting.lead, ProposalPartner.Role.PARTNER, lead_team.user)
    assert codes(refused) == ["lead_is_not_partner"]


def test_no_partner_twice(lead_team, drafting):
    organisation = OrganisationFactory()
    services.add_partner(drafting, organisation, ProposalPartner.Role.PARTNER, lead_team.user)
    with pytest.raises(Conflict) as refused:
        services.add_partner(drafting, organisation, ProposalPartner.Role.ASSOCIATED, lead_team.user)
    assert codes(refused) == ["already_partner"]
    assert drafting.partners.count() == 1


@pytest.mark.parametrize("state", [State.IN_REVIEW, State.READY, State.SUBMITTED])
def test_partners_locked_outside_preparation(lead_team, state):
    proposal = ProposalFactory(lead=lead_team.municipality, state=state)
    with pytest.raises(Conflict) as refused:
        services.add_partner(proposal, OrganisationFactory(), ProposalPartner.Role.PARTNER, lead_team.user)
    assert codes(refused) == ["partners_locked"]
    assert not ProposalPartner.objects.exists()


def test_partner_team_may_not_add_partners(drafting):
    organisation = OrganisationFactory()
    ProposalPartner.objects.create(proposal=drafting, organisation=organisation)
    contact = TeamMembershipFactory(municipality=None, organisation=organisation).user
    with pytest.raises(Conflict) as refused:
        services.add_partner(drafting, MunicipalityFactory(), ProposalPartner.Role.PARTNER, contact)
    assert codes(refused) == ["not_permitted"]


def test_stranger_and_deleted_proposal_get_not_found(lead_team, drafting):
    with pytest.raises(NotFound):
        services.add_partner(
            drafting, OrganisationFactory(), ProposalPartner.Role.PARTNER, TeamMembershipFactory().user
        )
    Proposal.objects.filter(pk=drafting.pk).update(deleted_at="2026-01-01T00:00Z")
    drafting.refresh_from_db()
    with pytest.raises(NotFound):
        services.add_partner(drafting, OrganisationFactory(), ProposalPartner.Role.PARTNER, lead_team.user)


def test_unknown_role_is_invalid(lead_team, drafting):
    with pytest.raises(Invalid) as refused:
        services.add_partner(drafting, OrganisationFactory(), "boss", lead_team.user)
    assert "role" in refused.value.fields


def test_a_partner_the_call_does_not_admit_is_refused(lead_team):
    call = CallEligibilityFactory(partner_countries=["TR", "BG"]).call
    proposal = ProposalFactory(lead=lead_team.municipality, state=State.DRAFTING, call=call)
    greek = OrganisationFactory(country="GR")
    with pytest.raises(Conflict) as refused:
        services.add_partner(proposal, greek, ProposalPartner.Role.PARTNER, lead_team.user)
    assert codes(refused) == ["partner_country_not_eligible"]
    assert not proposal.partners.exists()
    services.add_partner(
        proposal, OrganisationFactory(country="BG"), ProposalPartner.Role.PARTNER, lead_team.user
    )
    assert proposal.partners.count() == 1
