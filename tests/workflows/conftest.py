import pytest

from grants_office.members.models import TeamMembership
from tests import factories


@pytest.fixture
def lead_municipality(db):
    return factories.MunicipalityFactory(name="Süleymanpaşa Belediyesi")


@pytest.fixture
def partner_organisation(db):
    return factories.OrganisationFactory(name="Haskovo Municipality", country="BG")


@pytest.fixture
def people(db, lead_municipality, partner_organisation):
    """One person per role that the lifecycle tells apart."""
    other = factories.MunicipalityFactory(name="Çorlu Belediyesi")
    lead = factories.TeamMembershipFactory(municipality=lead_municipality, role=TeamMembership.Role.LEAD).user
    member = factories.TeamMembershipFactory(
        municipality=lead_municipality, role=TeamMembership.Role.MEMBER
    ).user
    other_team = factories.TeamMembershipFactory(municipality=other, role=TeamMembership.Role.LEAD).user
    partner = factories.TeamMembershipFactory(municipality=None, organisation=partner_organisation).user
    reviewer = factories.ExpertProfileFactory().user
    return {
        "office": factories.office_staff(),
        "lead": lead,
        "member": member,
        "partner": partner,
        "other_team": other_team,
        "reviewer": reviewer,
        "anonymous": None,
    }


@pytest.fixture
def make_proposal(db, lead_municipality, partner_organisation):
    """make_proposal(state=..., call=...) with the partner organisation as a partner."""
    from workflows.models import ProposalPartner

    def make(**kwargs):
        kwargs.setdefault("lead", lead_municipality)
        proposal = factories.ProposalFactory(**kwargs)
        ProposalPartner.objects.create(proposal=proposal, organisation=partner_organisation)
        return proposal

    return make
