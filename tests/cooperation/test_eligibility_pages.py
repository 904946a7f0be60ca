"""The call's eligibility page (`/calls/<id>/eligibility/`): the rules in words, the members that may
lead, and for the office who has no proposal yet."""

import pytest

from tests.clients import page_client
from tests.factories import (
    CallEligibilityFactory,
    CallFactory,
    MunicipalityFactory,
    ProposalFactory,
    TeamMembershipFactory,
    office_staff,
)
from tests.querycount import page_queries

pytestmark = pytest.mark.django_db


def url(call):
    return f"/calls/{call.pk}/eligibility/"


@pytest.fixture
def interreg(db):
    call = CallFactory(
        reference="IPA-BG-TR", eligibility_notes="Partners must sign the partnership agreement."
    )
    CallEligibilityFactory(call=call, lead_provinces=["Edirne", "Kırklareli"], min_eu_partners=1)
    return call


@pytest.fixture
def members(db):
    return {
        "keşan": MunicipalityFactory(name="Keşan Belediyesi", province="Edirne"),
        "babaeski": MunicipalityFactory(name="Babaeski Belediyesi", province="Kırklareli"),
        "çorlu": MunicipalityFactory(name="Çorlu Belediyesi", province="Tekirdağ"),
    }


def test_the_page_states_the_rules_and_lists_who_may_lead(interreg, members):
    team = TeamMembershipFactory(municipality=members["çorlu"]).user
    response = page_client(team).get(url(interreg))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Only municipalities in Edirne, Kırklareli may lead." in text
    assert "At least 1 partner from an EU member state." in text
    assert "Partners must sign the partnership agreement." in text
    assert "Keşan Belediyesi" in text and "Babaeski Belediyesi" in text
    assert "Çorlu Belediyesi" not in text
    assert "Proposal on this call" not in text  # the office's column


def test_the_office_marks_and_filters_those_without_a_proposal(interreg, members):
    ProposalFactory(lead=members["keşan"], call=interreg)
    client = page_client(office_staff())
    text = client.get(url(interreg)).content.decode()
    assert "Proposal on this call" in text
    assert text.count("none yet") == 1
    text = client.get(url(interreg), {"without_proposal": "on"}).content.decode()
    assert "Babaeski Belediyesi" in text
    assert "Keşan Belediyesi" not in text


def test_the_filter_is_the_office_s(interreg, members):
    team = TeamMembershipFactory(municipality=members["çorlu"]).user
    assert page_client(team).get(url(interreg), {"without_proposal": "on"}).status_code == 403


def test_an_unknown_call_is_404_and_signed_out_goes_to_sign_in(db):
    assert page_client(office_staff()).get("/calls/999999/eligibility/").status_code == 404
    response = page_client(None).get("/calls/1/eligibility/")
    assert response.status_code == 302


def test_the_call_page_links_to_its_eligibility(interreg):
    response = page_client(office_staff()).get(f"/calls/{interreg.pk}/")
    assert url(interreg) in response.content.decode()


@pytest.mark.parametrize("office", [True, False])
def test_the_page_costs_the_same_for_one_and_five_members(interreg, office):
    user = office_staff() if office else TeamMembershipFactory().user

    def add():
        member = MunicipalityFactory(province="Edirne")
        ProposalFactory(lead=member, call=interreg)

    add()
    one = page_queries(user, url(interreg))
    for _ in range(4):
        add()
    five = page_queries(user, url(interreg))
    assert one == five
    print(f"QUERIES call_eligibility office={office}: {one}")
