"""The world of events: the office, member municipalities with their team leads and members."""

import pytest

from grants_office.members.models import TeamMembership
from tests.factories import MunicipalityFactory, TeamMembershipFactory, UserProfileFactory, office_staff


@pytest.fixture
def office(db):
    user = office_staff(username="ofis")
    UserProfileFactory(user=user, language="en")
    return user


def _team(name: str, role=TeamMembership.Role.LEAD, **municipality):
    municipality = MunicipalityFactory(name=name, **municipality)
    return TeamMembershipFactory(municipality=municipality, role=role).user


@pytest.fixture
def member(db):
    """A team lead who registers herself (and may register colleagues)."""
    return _team("Vize Belediyesi", province="Kırklareli")


@pytest.fixture
def colleague(member):
    return TeamMembershipFactory(
        municipality=member.team_memberships.get().municipality, role=TeamMembership.Role.MEMBER
    ).user


@pytest.fixture
def make_member(db):
    def make(name: str, **municipality):
        return _team(name, **municipality)

    return make
