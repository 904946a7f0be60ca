import pytest

from grants_office.members.models import TeamMembership
from tests.factories import (
    ExpertProfileFactory,
    MunicipalityFactory,
    TeamMembershipFactory,
    office_staff,
)


@pytest.fixture
def people(db, lead_municipality, partner_organisation):
    """One person per role that the lifecycle tells apart."""
    other = MunicipalityFactory(name="Çorlu Belediyesi")
    lead = TeamMembershipFactory(municipality=lead_municipality, role=TeamMembership.Role.LEAD).user
    member = TeamMembershipFactory(municipality=lead_municipality, role=TeamMembership.Role.MEMBER).user
    other_team = TeamMembershipFactory(municipality=other, role=TeamMembership.Role.LEAD).user
    partner = TeamMembershipFactory(municipality=None, organisation=partner_organisation).user
    reviewer = ExpertProfileFactory().user
    return {
        "office": office_staff(),
        "lead": lead,
        "member": member,
        "partner": partner,
        "other_team": other_team,
        "reviewer": reviewer,
        "anonymous": None,
    }
