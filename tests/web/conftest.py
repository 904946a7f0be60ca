"""People and proposals for the page tests: the office, a municipality's team, a partner, a stranger."""

import pytest

from grants_office.members.models import TeamMembership
from tests import nplusone
from tests.factories import (
    MunicipalityFactory,
    TeamMembershipFactory,
    UserFactory,
    office_staff,
)


@pytest.fixture(autouse=True)
def no_n_plus_one_in_pages(settings):
    """Every page rendered here (a GET) fails on an N+1 (tests/nplusone.py)."""
    settings.MIDDLEWARE = [nplusone.MIDDLEWARE, *settings.MIDDLEWARE]


@pytest.fixture
def people(db, lead_municipality, partner_organisation):
    other = MunicipalityFactory(name="Çorlu Belediyesi")
    return {
        "office": office_staff(username="koordinator", first_name="Ayşe", last_name="Yılmaz"),
        "lead": TeamMembershipFactory(
            municipality=lead_municipality, role=TeamMembership.Role.LEAD, user__username="ekiplideri"
        ).user,
        "member": TeamMembershipFactory(municipality=lead_municipality, role=TeamMembership.Role.MEMBER).user,
        "partner": TeamMembershipFactory(municipality=None, organisation=partner_organisation).user,
        "other_team": TeamMembershipFactory(
            municipality=other, role=TeamMembership.Role.LEAD, user__username="baskaekip"
        ).user,
        "nobody": UserFactory(),
    }


HTMX = {"HTTP_HX_REQUEST": "true"}
