"""A call's eligible members (`GET /api/v1/calls/{id}/eligible-municipalities/`) and a municipality's
eligible open calls (`GET /api/v1/municipalities/{id}/eligible-calls/`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants_office.members import eligibility
from grants_office.members.models import Municipality
from tests.factories import CallEligibilityFactory, CallFactory, MunicipalityFactory, ProposalFactory
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db


def members_url(call):
    return f"/api/v1/calls/{call.pk}/eligible-municipalities/"


def calls_url(municipality):
    return f"/api/v1/municipalities/{municipality.pk}/eligible-calls/"


def names(response):
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def interreg(db):
    """Interreg IPA Bulgaria–Türkiye: only Edirne and Kırklareli lead."""
    call = CallFactory(reference="IPA-BG-TR")
    CallEligibilityFactory(call=call, lead_provinces=["Edirne", "Kırklareli"])
    return call


@pytest.fixture
def thrace(db):
    """Members in Edirne, Kırklareli and Tekirdağ, and a non-member in Edirne."""
    return {
        "keşan": MunicipalityFactory(name="Keşan Belediyesi", province="Edirne"),
        "edirne": MunicipalityFactory(name="Edirne Belediyesi", province="Edirne"),
        "lüleburgaz": MunicipalityFactory(name="Lüleburgaz Belediyesi", province="Kırklareli"),
        "çorlu": MunicipalityFactory(name="Çorlu Belediyesi", province="Tekirdağ"),
        "ipsala": MunicipalityFactory(
            name="İpsala Belediyesi", province="Edirne", membership_status=Municipality.Membership.RESIGNED
        ),
    }


def test_the_interreg_call_lists_exactly_the_members_of_edirne_and_kirklareli(
    api_client, team_member, interreg, thrace
):
    response = api_client(team_member).get(members_url(interreg))
    assert response.status_code == 200
    assert names(response) == ["Edirne Belediyesi", "Keşan Belediyesi", "Lüleburgaz Belediyesi"]
    row = response.json()["results"][0]
    assert set(row) == {"id", "name", "province", "kind", "population"}  # no has_proposal for a team
    assert row["id"] == thrace["edirne"].pk
    assert [rule["code"] for rule in response.json()["rules"]] == [
        eligibility.LEAD_PROVINCE,
        eligibility.LEAD_NOT_MEMBER,
    ]
    assert "Edirne, Kırklareli" in response.json()["rules"][0]["message"]


def test_provinces_come_in_turkish_order(api_client, office_user):
    call = CallFactory()
    for province in ("İzmir", "Isparta", "Çanakkale", "Bursa"):
        MunicipalityFactory(province=province)
    response = api_client(office_user).get(members_url(call))
    assert [row["province"] for row in response.json()["results"]] == [
        "Bursa",
        "Çanakkale",
        "Isparta",
        "İzmir",
    ]


def test_a_call_without_rules_lists_every_member(api_client, team_member, thrace):
    call = CallFactory()
    response = api_client(team_member).get(members_url(call))
    assert "İpsala Belediyesi" not in names(response)
    assert {"Çorlu Belediyesi", "Keşan Belediyesi"} <= set(names(response))
    assert [rule["code"] for rule in response.json()["rules"]] == [eligibility.LEAD_NOT_MEMBER]


def test_the_office_sees_who_has_a_proposal_and_the_list_to_phone(api_client, office_user, interreg, thrace):
    ProposalFactory(lead=thrace["keşan"], call=interreg)
    ProposalFactory(lead=thrace["edirne"], call=interreg, deleted_at=timezone.now())  # deleted: no proposal
    ProposalFactory(lead=thrace["lüleburgaz"], call=CallFactory())  # another call
    client = api_client(office_user)
    rows = client.get(members_url(interreg)).json()["results"]
    assert {row["name"]: row["has_proposal"] for row in rows} == {
        "Edirne Belediyesi": False,
        "Keşan Belediyesi": True,
        "Lüleburgaz Belediyesi": False,
    }
    response = client.get(members_url(interreg), {"without_proposal": "true"})
    assert names(response) == ["Edirne Belediyesi", "Lüleburgaz Belediyesi"]
    assert response.json()["count"] == 2


def test_a_team_may_not_ask_for_the_list_to_phone(api_client, team_member, interreg, thrace):
    response = api_client(team_member).get(members_url(interreg), {"without_proposal": "true"})
    assert response.status_code == 409
    assert [reason["code"] for reason in response.json()["reasons"]] == ["not_permitted"]
    assert (
        api_client(team_member).get(members_url(interreg), {"without_proposal": "false"}).status_code == 200
    )


def test_a_bad_without_proposal_value_is_400(api_client, office_user, interreg):
    response = api_client(office_user).get(members_url(interreg), {"without_proposal": "maybe"})
    assert response.status_code == 400


def test_an_unknown_call_or_municipality_is_404(api_client, team_member):
    assert api_client(team_member).get("/api/v1/calls/999999/eligible-municipalities/").status_code == 404
    assert api_client(team_member).get("/api/v1/municipalities/999999/eligible-calls/").status_code == 404


def test_signed_out_is_refused(api_client, interreg, thrace):
    assert api_client(None).get(members_url(interreg)).status_code in (401, 403)
    assert api_client(None).get(calls_url(thrace["keşan"])).status_code in (401, 403)


def test_a_municipality_sees_the_open_calls_it_may_lead_by_deadline(
    api_client, team_member, interreg, thrace
):
    now = timezone.now()
    later = CallFactory(reference="LATER", deadline=now + timedelta(days=90))
    sooner = CallFactory(reference="SOONER", deadline=now + timedelta(days=10))
    tekirdag_only = CallFactory(reference="TEKIRDAG")
    CallEligibilityFactory(call=tekirdag_only, lead_provinces=["Tekirdağ"])
    CallFactory(reference="CLOSED", deadline=now - timedelta(days=1))
    CallFactory(reference="NOT-YET", opens_on=timezone.localdate() + timedelta(days=5))
    interreg.deadline = now + timedelta(days=30)
    interreg.save()
    response = api_client(team_member).get(calls_url(thrace["keşan"]))
    assert response.status_code == 200
    references = [row["reference"] for row in response.json()["results"]]
    assert references == ["SOONER", "IPA-BG-TR", "LATER"]
    row = response.json()["results"][0]
    assert row["title"] == sooner.title
    assert row["programme"] == sooner.programme.name
    assert row["deadline"]
    assert later.pk in [r["id"] for r in response.json()["results"]]


def test_a_non_member_may_lead_only_calls_that_do_not_require_membership(api_client, team_member, thrace):
    CallFactory(reference="MEMBERS")
    open_call = CallFactory(reference="ANYONE")
    CallEligibilityFactory(call=open_call, lead_membership_required=False)
    response = api_client(team_member).get(calls_url(thrace["ipsala"]))
    assert [row["reference"] for row in response.json()["results"]] == ["ANYONE"]


# --- query counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("office", [True, False])
def test_eligible_members_cost_the_same_for_one_and_five(
    api_client, office_user, team_member, interreg, django_assert_num_queries, office
):
    def add(n):
        for _ in range(n):
            member = MunicipalityFactory(province="Edirne")
            ProposalFactory(lead=member, call=interreg)

    queries = assert_same_query_count(
        api_client(office_user if office else team_member),
        members_url(interreg),
        add,
        django_assert_num_queries,
    )
    print(f"QUERIES eligible_municipalities office={office}: {queries}")
    assert queries <= 4


def test_eligible_calls_cost_the_same_for_one_and_five(api_client, team_member, django_assert_num_queries):
    municipality = MunicipalityFactory(province="Edirne")

    def add(n):
        for _ in range(n):
            CallEligibilityFactory(call=CallFactory(), lead_provinces=["Edirne"])
            CallFactory()  # no rules
            CallEligibilityFactory(call=CallFactory(), lead_provinces=["Kırklareli"])  # not for Edirne

    queries = assert_same_query_count(
        api_client(team_member),
        calls_url(municipality),
        add,
        django_assert_num_queries,
        rows_in=lambda body: body["count"] // 2,
    )
    print(f"QUERIES eligible_calls: {queries}")
    assert queries <= 3
