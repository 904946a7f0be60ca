"""People and proposals for the page tests: the office, a municipality's team, a partner, a stranger."""

import pytest
from django.conf import settings
from django.test import Client

from grants_office.members.models import TeamMembership
from tests import factories
from workflows.models import ProposalPartner


@pytest.fixture
def lead_municipality(db):
    return factories.MunicipalityFactory(name="Süleymanpaşa Belediyesi")


@pytest.fixture
def partner_organisation(db):
    return factories.OrganisationFactory(name="Haskovo Municipality", country="BG")


@pytest.fixture
def people(db, lead_municipality, partner_organisation):
    other = factories.MunicipalityFactory(name="Çorlu Belediyesi")
    return {
        "office": factories.office_staff(username="koordinator", first_name="Ayşe", last_name="Yılmaz"),
        "lead": factories.TeamMembershipFactory(
            municipality=lead_municipality, role=TeamMembership.Role.LEAD, user__username="ekiplideri"
        ).user,
        "member": factories.TeamMembershipFactory(
            municipality=lead_municipality, role=TeamMembership.Role.MEMBER
        ).user,
        "partner": factories.TeamMembershipFactory(municipality=None, organisation=partner_organisation).user,
        "other_team": factories.TeamMembershipFactory(
            municipality=other, role=TeamMembership.Role.LEAD, user__username="baskaekip"
        ).user,
        "nobody": factories.UserFactory(),
    }


@pytest.fixture
def make_proposal(db, lead_municipality, partner_organisation):
    """make_proposal(state=..., call=...): led by the lead municipality, the organisation its partner."""

    def make(**kwargs):
        kwargs.setdefault("lead", lead_municipality)
        proposal = factories.ProposalFactory(**kwargs)
        ProposalPartner.objects.create(proposal=proposal, organisation=partner_organisation)
        return proposal

    return make


@pytest.fixture
def client_for():
    """client_for(user) is a client signed in as that user (None: anonymous), reading the pages in English
    unless told otherwise, so assertions on texts do not depend on the Turkish catalogue."""

    def make(user=None, language="en"):
        client = Client()
        if language:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if user is not None:
            client.force_login(user)
        return client

    return make


HTMX = {"HTTP_HX_REQUEST": "true"}
