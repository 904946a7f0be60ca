"""The funder's rules on a proposal through the API: the call's grant range, co-financing rate and
currency (400 on create and edit, 409 at sign-off and submission), and only members lead unless the
office records an exception."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grants_office.members.models import Municipality
from tests.factories import CallFactory, MunicipalityFactory, office_staff
from tests.querycount import measure
from workflows.models import Proposal, Submission
from workflows.states import State

LIST = "/api/v1/proposals/"


def detail(proposal):
    return f"{LIST}{proposal.pk}/"


def move(client, proposal, name, **data):
    return client.post(f"{detail(proposal)}transitions/{name}/", data, format="json")


def reason_codes(response):
    return [reason["code"] for reason in response.json()["reasons"]]


@pytest.fixture
def call(db):
    """Interreg-like: 100,000 to 500,000 EUR, the funder pays at most 80 % of the total budget."""
    return CallFactory(
        grant_min=Decimal("100000"), grant_max=Decimal("500000"), cofinancing_rate=Decimal("80.00")
    )


def idea(lead, call, **fields):
    return {
        "lead": lead.pk,
        "title": "Meriç taşkın erken uyarı",
        "call": call.pk,
        "currency": "EUR",
        **fields,
    }


# --- create ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_idea_within_the_call_rules_is_registered(api_client, people, lead_municipality, call):
    response = api_client(people["member"]).post(
        LIST, idea(lead_municipality, call, requested_amount="400000", total_budget="500000"), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["lead_exception"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("requested", "total", "message"),
    [
        ("600000", "900000", "The call grants between 100,000 and 500,000 EUR."),
        ("50000", "90000", "The call grants between 100,000 and 500,000 EUR."),
        (
            "450000",
            "500000",
            "The call pays at most 80% of the total budget: 400,000 EUR of 500,000.",
        ),
    ],
)
def test_an_idea_outside_the_grant_range_or_above_the_cofinancing_is_refused(
    api_client, people, lead_municipality, call, requested, total, message
):
    response = api_client(people["member"]).post(
        LIST, idea(lead_municipality, call, requested_amount=requested, total_budget=total), format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"requested_amount": [message]}
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_an_idea_in_another_currency_than_the_call_is_refused(api_client, people, lead_municipality, call):
    response = api_client(people["member"]).post(
        LIST,
        idea(lead_municipality, call, requested_amount="4000000", total_budget="5000000", currency="TRY"),
        format="json",
    )
    assert response.status_code == 400
    # the range is in euros: only the currency is worth fixing
    assert response.json()["fields"] == {"currency": ["The call grants in EUR."]}
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_the_limit_is_written_for_the_reader_s_language(people, lead_municipality, call):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="tr")
    client.force_authenticate(people["member"])
    response = client.post(
        LIST, idea(lead_municipality, call, requested_amount="600000", total_budget="900000"), format="json"
    )
    assert response.status_code == 400
    assert "100.000" in response.json()["fields"]["requested_amount"][0]
    assert "500.000 EUR" in response.json()["fields"]["requested_amount"][0]


@pytest.mark.django_db
def test_an_idea_without_a_call_or_amounts_needs_no_money_rules(api_client, people, lead_municipality, call):
    client = api_client(people["member"])
    no_call = {"lead": lead_municipality.pk, "title": "Erken fikir", "requested_amount": "9000000"}
    assert client.post(LIST, no_call, format="json").status_code == 201
    # amounts may come later, while the idea is shaped
    assert client.post(LIST, idea(lead_municipality, call), format="json").status_code == 201


# --- edit ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_changing_only_the_call_is_checked_against_the_new_call(api_client, people, make_proposal, call):
    proposal = make_proposal(
        state=State.IDEA, call=None, requested_amount=Decimal("700000"), total_budget=Decimal("1000000")
    )
    response = api_client(people["lead"]).patch(detail(proposal), {"call": call.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["requested_amount"]
    assert "between 100,000 and 500,000 EUR" in response.json()["fields"]["requested_amount"][0]
    assert Proposal.objects.get(pk=proposal.pk).call_id is None


@pytest.mark.django_db
def test_editing_the_amounts_or_currency_is_checked_and_refusal_changes_nothing(
    api_client, people, make_proposal, call
):
    proposal = make_proposal(
        state=State.DRAFTING, call=call, requested_amount=Decimal("400000"), total_budget=Decimal("500000")
    )
    client = api_client(people["lead"])
    response = client.patch(detail(proposal), {"total_budget": "450000"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["requested_amount"]
    assert "80%" in response.json()["fields"]["requested_amount"][0]
    response = client.patch(detail(proposal), {"currency": "TRY"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["currency"]
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.total_budget, stored.currency) == (Decimal("500000"), "EUR")
    response = client.patch(
        detail(proposal), {"requested_amount": "360000", "total_budget": "450000"}, format="json"
    )
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_a_title_edit_is_not_refused_for_money_the_funder_changed(api_client, people, make_proposal, call):
    """The call's rules are checked when the money or the call changes; sign-off checks everything."""
    proposal = make_proposal(
        state=State.DRAFTING, call=call, requested_amount=Decimal("400000"), total_budget=Decimal("500000")
    )
    type(call).objects.filter(pk=call.pk).update(grant_max=Decimal("300000"))
    response = api_client(people["lead"]).patch(detail(proposal), {"title": "Yeni başlık"}, format="json")
    assert response.status_code == 200, response.content


# --- sign-off and submission -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_mark_ready_is_blocked_when_the_call_s_rules_changed(api_client, people, make_proposal, call):
    proposal = make_proposal(
        state=State.DRAFTING, call=call, requested_amount=Decimal("400000"), total_budget=Decimal("500000")
    )
    type(call).objects.filter(pk=call.pk).update(grant_max=Decimal("300000"), cofinancing_rate=70)
    response = move(api_client(people["office"]), proposal, "mark_ready")
    assert response.status_code == 409
    assert reason_codes(response) == ["requested_outside_grant_range", "requested_above_cofinancing"]
    assert "between 100,000 and 300,000 EUR" in response.json()["reasons"][0]["message"]
    assert Proposal.objects.get(pk=proposal.pk).state == State.DRAFTING
    # the transitions list explains the same
    listed = api_client(people["office"]).get(f"{detail(proposal)}transitions/").json()["transitions"]
    mark_ready = next(t for t in listed if t["name"] == "mark_ready")
    assert not mark_ready["allowed"]
    assert [r["code"] for r in mark_ready["reasons"]] == [
        "requested_outside_grant_range",
        "requested_above_cofinancing",
    ]


@pytest.mark.django_db
def test_mark_ready_needs_the_amounts_the_call_s_rules_need(api_client, people, make_proposal, call):
    proposal = make_proposal(state=State.DRAFTING, call=call)
    response = move(api_client(people["office"]), proposal, "mark_ready")
    assert response.status_code == 409
    assert reason_codes(response) == ["no_requested_amount"]
    Proposal.objects.filter(pk=proposal.pk).update(requested_amount=Decimal("400000"))
    response = move(api_client(people["office"]), proposal, "mark_ready")
    assert reason_codes(response) == ["no_total_budget"]
    Proposal.objects.filter(pk=proposal.pk).update(total_budget=Decimal("500000"))
    response = move(api_client(people["office"]), proposal, "mark_ready")
    assert response.status_code == 200, response.content
    assert Proposal.objects.get(pk=proposal.pk).state == State.READY


@pytest.mark.django_db
def test_a_call_without_money_rules_signs_off_without_amounts(api_client, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING, call=CallFactory())
    assert move(api_client(people["office"]), proposal, "mark_ready").status_code == 200


@pytest.mark.django_db
def test_submit_is_blocked_when_the_currency_no_longer_matches(api_client, people, make_proposal, call):
    proposal = make_proposal(
        state=State.READY, call=call, requested_amount=Decimal("400000"), total_budget=Decimal("500000")
    )
    type(call).objects.filter(pk=call.pk).update(currency="TRY")
    response = move(
        api_client(people["lead"]),
        proposal,
        "submit",
        funder_reference="IPA-1",
        submitted_at=timezone.now().isoformat(),
    )
    assert response.status_code == 409
    assert reason_codes(response) == ["currency_mismatch"]
    assert Proposal.objects.get(pk=proposal.pk).state == State.READY
    assert not Submission.objects.exists()


# --- only members lead -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Municipality.Membership.RESIGNED, Municipality.Membership.NON_MEMBER])
def test_a_municipality_that_is_not_a_member_cannot_lead(api_client, people, lead_municipality, status):
    Municipality.objects.filter(pk=lead_municipality.pk).update(membership_status=status)
    for user in (people["member"], people["office"]):
        response = api_client(user).post(
            LIST, {"lead": lead_municipality.pk, "title": "Fikir"}, format="json"
        )
        assert response.status_code == 400
        assert list(response.json()["fields"]) == ["lead"]
        assert "only members lead a proposal" in response.json()["fields"]["lead"][0]
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_the_office_registers_a_non_member_s_idea_with_a_logged_exception(api_client, people):
    malkara = MunicipalityFactory(
        name="Malkara Belediyesi", membership_status=Municipality.Membership.RESIGNED
    )
    client = api_client(people["office"])
    response = client.post(
        LIST,
        {"lead": malkara.pk, "title": "Dijital beceri", "lead_exception_reason": "Encümen kararı 2027/14"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["lead_exception"]["reason"] == "Encümen kararı 2027/14"
    assert body["lead_exception"]["by"]["username"] == people["office"].username
    assert body["lead_exception"]["at"]
    assert "lead_exception_reason" not in body
    proposal = Proposal.objects.get(pk=body["id"])
    assert (proposal.lead_exception_by, proposal.lead_exception_reason) == (
        people["office"],
        "Encümen kararı 2027/14",
    )
    history = client.get(f"{detail(proposal)}history/").json()
    assert [(h["transition"], h["comment"], h["source"], h["target"]) for h in history] == [
        ("lead_exception", "Encümen kararı 2027/14", "idea", "idea")
    ]


@pytest.mark.django_db
def test_a_team_cannot_give_itself_an_exception(api_client, people, lead_municipality):
    Municipality.objects.filter(pk=lead_municipality.pk).update(
        membership_status=Municipality.Membership.RESIGNED
    )
    response = api_client(people["lead"]).post(
        LIST,
        {"lead": lead_municipality.pk, "title": "Fikir", "lead_exception_reason": "Biz istiyoruz"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["lead_exception_reason"]
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_a_lead_that_resigned_blocks_sign_off_and_submission(api_client, people, make_proposal):
    drafting = make_proposal(state=State.DRAFTING)
    ready = make_proposal(state=State.READY)
    Municipality.objects.filter(pk=drafting.lead_id).update(
        membership_status=Municipality.Membership.RESIGNED
    )
    response = move(api_client(people["office"]), drafting, "mark_ready")
    assert response.status_code == 409
    assert reason_codes(response) == ["lead_not_member"]
    response = move(
        api_client(people["office"]),
        ready,
        "submit",
        funder_reference="IPA-1",
        submitted_at=timezone.now().isoformat(),
    )
    assert response.status_code == 409
    assert reason_codes(response) == ["lead_not_member"]
    assert [p.state for p in Proposal.objects.order_by("pk")] == [State.DRAFTING, State.READY]
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_the_office_records_an_exception_that_unblocks_sign_off(api_client, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    Municipality.objects.filter(pk=proposal.lead_id).update(
        membership_status=Municipality.Membership.RESIGNED
    )
    url = f"{detail(proposal)}lead-exception/"
    office = api_client(people["office"])
    response = office.post(url, {"reason": "  "}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["reason"]
    assert Proposal.objects.get(pk=proposal.pk).lead_exception_at is None

    response = office.post(url, {"reason": "Yeniden üyelik başvurusu sürüyor"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["lead_exception"]["reason"] == "Yeniden üyelik başvurusu sürüyor"
    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.lead_exception_by == people["office"] and stored.lead_exception_at is not None
    history = office.get(f"{detail(proposal)}history/").json()
    assert [h["transition"] for h in history] == ["lead_exception"]
    assert history[-1]["by"] == people["office"].get_full_name()

    assert move(office, proposal, "mark_ready").status_code == 200
    assert Proposal.objects.get(pk=proposal.pk).state == State.READY


@pytest.mark.django_db
def test_only_the_office_records_an_exception_and_hidden_proposals_stay_hidden(
    api_client, people, make_proposal
):
    proposal = make_proposal(state=State.DRAFTING)
    url = f"{detail(proposal)}lead-exception/"
    response = api_client(people["lead"]).post(url, {"reason": "Biz istiyoruz"}, format="json")
    assert response.status_code == 409
    assert reason_codes(response) == ["not_permitted"]
    assert api_client(people["other_team"]).post(url, {"reason": "x"}, format="json").status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).lead_exception_at is None
    # PATCH is not the way to record one
    response = api_client(people["office"]).patch(
        detail(proposal), {"lead_exception_reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["lead_exception_reason"]
    assert Proposal.objects.get(pk=proposal.pk).lead_exception_at is None


# --- the representation and its cost ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_fast_representation_equals_the_declared_fields_with_an_exception(people, make_proposal):
    from rest_framework import serializers as drf_serializers

    from workflows.api.serializers import ProposalSerializer

    proposal = make_proposal(
        state=State.IDEA,
        lead_exception_reason="Encümen kararı",
        lead_exception_by=people["office"],
        lead_exception_at=timezone.now(),
    )
    proposal = Proposal.objects.select_related(
        "lead", "call__programme", "coordinator", "lead_exception_by"
    ).get(pk=proposal.pk)
    serializer = ProposalSerializer()
    declared = drf_serializers.ModelSerializer.to_representation(serializer, proposal)
    assert serializer.to_representation(proposal) == dict(declared)
    assert declared["lead_exception"]["by"]["id"] == people["office"].pk


def _list_queries(user):
    measured = measure(user, LIST, api=True)
    return measured.queries, measured.body["count"]


@pytest.mark.django_db
def test_listing_proposals_with_exceptions_does_not_query_per_row(people, make_proposal):
    def add(n):
        for _ in range(n):
            make_proposal(
                lead_exception_reason="Encümen kararı",
                lead_exception_by=office_staff(),
                lead_exception_at=timezone.now(),
            )

    add(1)
    one = _list_queries(people["office"])
    add(4)
    five = _list_queries(people["office"])
    assert (one[1], five[1]) == (1, 5)
    assert one[0] == five[0]
