"""The proposal API end to end: create, edit what the state allows, walk the lifecycle, and stay lean."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_fsm_log.models import StateLog

from grants_office.calls.models import DocumentKind
from tests.factories import CallFactory, MunicipalityFactory, OrganisationFactory, ProposalFactory
from tests.querycount import measure
from workflows.models import Proposal
from workflows.states import State

LIST = "/api/v1/proposals/"


def detail(proposal):
    return f"{LIST}{proposal.pk}/"


def move(client, proposal, name, **data):
    return client.post(f"{detail(proposal)}transitions/{name}/", data, format="json")


def queries(user, url):
    """Queries of one request by a freshly loaded user, as a real request would have."""
    return measure(user, url, api=True).queries


@pytest.mark.django_db
def test_a_team_member_registers_an_idea_with_a_partner(api_client, people, lead_municipality):
    partner = OrganisationFactory(name="Kardzhali Municipality", country="BG")
    response = api_client(people["member"]).post(
        LIST,
        {
            "lead": lead_municipality.pk,
            "title": "Ergene Havzası Su Kalitesi İzleme",
            "acronym": "ERGENE",
            "requested_amount": "450000.00",
            "total_budget": "500000.00",
            "currency": "EUR",
            "partners": [{"organisation": partner.pk, "role": "partner"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["stage"], body["lead_name"]) == ("idea", 1, lead_municipality.name)
    assert body["partners"] == [
        {
            "municipality": None,
            "organisation": partner.pk,
            "name": "Kardzhali Municipality",
            "role": "partner",
        }
    ]
    proposal = Proposal.objects.get(pk=body["id"])
    assert proposal.created_by == people["member"]
    # the lead team sees it; a team of another municipality does not
    assert api_client(people["lead"]).get(detail(proposal)).status_code == 200
    assert api_client(people["other_team"]).get(detail(proposal)).status_code == 404


@pytest.mark.django_db
def test_registering_an_idea_for_another_municipality_is_refused(api_client, people):
    other = MunicipalityFactory()
    response = api_client(people["member"]).post(LIST, {"lead": other.pk, "title": "X"}, format="json")
    assert response.status_code == 400
    assert "lead" in response.json()["fields"]
    assert not Proposal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload, field",
    [
        ({"title": ""}, "title"),
        ({"title": "T", "requested_amount": "-1"}, "requested_amount"),
        ({"title": "T", "requested_amount": "600", "total_budget": "500"}, "requested_amount"),
        ({"title": "T", "currency": "XXX"}, "currency"),
        ({"title": "T", "partners": [{"role": "partner"}]}, "partners"),
        ({"title": "T", "call": 999999}, "call"),
    ],
)
def test_bad_input_answers_400_with_the_field_and_writes_nothing(
    api_client, people, lead_municipality, payload, field
):
    response = api_client(people["lead"]).post(LIST, {"lead": lead_municipality.pk, **payload}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"]
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_fields_lock_as_the_proposal_moves_on(api_client, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING, call=CallFactory())
    client = api_client(people["lead"])
    assert client.patch(detail(proposal), {"summary": "Yeni özet"}, format="json").status_code == 200
    # the call is fixed once drafting starts
    response = client.patch(detail(proposal), {"call": CallFactory().pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "fields_locked"
    assert [r["code"] for r in response.json()["reasons"]] == ["field_locked"]
    Proposal.objects.filter(pk=proposal.pk).update(state=State.SUBMITTED)
    response = client.patch(detail(proposal), {"summary": "Sonradan"}, format="json")
    assert response.status_code == 409
    proposal.refresh_from_db()
    assert proposal.summary == "Yeni özet"


@pytest.mark.django_db
def test_only_the_office_sets_the_coordinator(api_client, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    coordinator = people["office"]
    response = api_client(people["lead"]).patch(
        detail(proposal), {"coordinator": coordinator.pk}, format="json"
    )
    assert response.status_code == 409
    response = api_client(people["office"]).patch(
        detail(proposal), {"coordinator": coordinator.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["coordinator_detail"]["id"] == coordinator.pk


@pytest.mark.django_db
def test_a_partner_sees_but_cannot_edit_and_strangers_get_404(api_client, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    assert api_client(people["partner"]).get(detail(proposal)).status_code == 200
    assert (
        api_client(people["partner"]).patch(detail(proposal), {"title": "x"}, format="json").status_code
        == 409
    )
    for role in ("other_team", "reviewer"):
        client = api_client(people[role])
        assert client.get(detail(proposal)).status_code == 404
        assert client.patch(detail(proposal), {"title": "x"}, format="json").status_code == 404
        assert move(client, proposal, "start_consultation").status_code == 404
    assert api_client().get(detail(proposal)).status_code == 401


@pytest.mark.django_db
def test_list_shows_each_role_its_own_proposals_and_filters(api_client, people, make_proposal):
    mine = make_proposal(state=State.DRAFTING, call=CallFactory(), title="Edirne Kültür Rotası")
    ProposalFactory(state=State.IDEA)  # another municipality's
    deleted = make_proposal(state=State.IDEA)
    Proposal.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    ids = lambda user, query="": [p["id"] for p in api_client(user).get(LIST + query).json()["results"]]  # noqa: E731
    assert ids(people["lead"]) == [mine.pk]
    assert ids(people["partner"]) == [mine.pk]
    assert ids(people["other_team"]) == []
    assert len(ids(people["office"])) == 2
    assert ids(people["office"], "?state=drafting") == [mine.pk]
    assert ids(people["office"], "?search=kültür") == [mine.pk]
    assert ids(people["office"], f"?municipality={mine.lead_id}") == [mine.pk]
    response = api_client(people["office"]).get(LIST + "?state=flying")
    assert response.status_code == 400 and "state" in response.json()["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["office", "lead", "partner"])
def test_the_list_costs_the_same_queries_for_one_and_five_proposals(api_client, people, make_proposal, role):
    call = CallFactory()
    client = api_client(people[role])
    make_proposal(state=State.DRAFTING, call=call, coordinator=people["office"])
    one = queries(people[role], LIST)
    for _ in range(4):
        proposal = make_proposal(state=State.DRAFTING, call=CallFactory(), coordinator=people["office"])
        proposal.partners.create(municipality=MunicipalityFactory())
    five = queries(people[role], LIST)
    assert client.get(LIST).json()["count"] == 5
    assert one == five


@pytest.mark.django_db
def test_detail_history_and_transitions_cost_a_fixed_number_of_queries(api_client, people, make_proposal):
    client = api_client(people["office"])
    short = make_proposal(state=State.IDEA, call=CallFactory(required_documents=[DocumentKind.BUDGET]))
    long = make_proposal(state=State.IDEA, call=CallFactory(required_documents=[DocumentKind.BUDGET]))
    move(client, short, "start_consultation")
    for name in ("start_consultation", "start_drafting"):
        assert move(client, long, name).status_code == 200
    for suffix in ("", "history/", "transitions/"):
        user = people["office"]
        assert queries(user, detail(short) + suffix) == queries(user, detail(long) + suffix), suffix


@pytest.mark.django_db
def test_transitions_endpoint_lists_allowed_and_blocked_with_reasons_and_fields(
    api_client, people, make_proposal
):
    proposal = make_proposal(state=State.DRAFTING, call=None)
    body = api_client(people["office"]).get(f"{detail(proposal)}transitions/").json()
    assert body["state"] == "drafting"
    by_name = {t["name"]: t for t in body["transitions"]}
    assert by_name["mark_ready"]["allowed"] is False
    assert [r["code"] for r in by_name["mark_ready"]["reasons"]] == ["no_call"]
    assert by_name["withdraw"]["allowed"] is True
    assert {
        "name": "reason",
        "label": by_name["withdraw"]["fields"][1]["label"],
        "required": True,
        "type": "text",
    } in (by_name["withdraw"]["fields"])


@pytest.mark.django_db
def test_transition_errors_map_to_404_409_and_400(api_client, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    client = api_client(people["office"])
    assert move(client, proposal, "teleport").status_code == 404
    response = move(client, proposal, "award", awarded_amount="10")
    assert response.status_code == 409
    assert response.json()["reasons"][0]["code"] == "wrong_state"
    response = move(client, proposal, "drop", reason="")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    proposal.refresh_from_db()
    assert proposal.state == State.IDEA and not StateLog.objects.for_(proposal).exists()


@pytest.mark.django_db
def test_walk_from_idea_to_award_through_the_api(api_client, people, make_proposal):
    call = CallFactory(deadline=timezone.now() + timedelta(days=10))
    proposal = make_proposal(state=State.IDEA, call=None)
    office, lead = api_client(people["office"]), api_client(people["lead"])
    steps = [
        (office, "start_consultation", {"comment": "İlk görüşme yapılacak"}),
        (office, "start_drafting", {"call": call.pk}),
        (office, "mark_ready", {}),
        (
            lead,
            "submit",
            {"funder_reference": "IPA-TR-BG-2026-041", "submitted_at": timezone.now().isoformat()},
        ),
        (office, "award", {"awarded_amount": "312500.00", "funder_feedback": "Puan 86/100"}),
    ]
    for client, name, data in steps:
        response = move(client, proposal, name, **data)
        assert response.status_code == 200, (name, response.content)
    assert response.json()["state"] == "awarded"
    history = lead.get(f"{detail(proposal)}history/").json()
    assert [(h["source"], h["target"]) for h in history] == [
        ("idea", "consultation"),
        ("consultation", "drafting"),
        ("drafting", "ready"),
        ("ready", "submitted"),
        ("submitted", "awarded"),
    ]
    assert history[0]["comment"] == "İlk görüşme yapılacak"
    submissions = lead.get(f"{detail(proposal)}submissions/").json()
    assert [s["funder_reference"] for s in submissions] == ["IPA-TR-BG-2026-041"]


@pytest.mark.django_db
def test_a_two_stage_call_keeps_the_stage_one_history(api_client, people, make_proposal):
    call = CallFactory(
        is_two_stage=True,
        deadline=timezone.now() + timedelta(days=10),
        stage2_deadline=timezone.now() + timedelta(days=120),
    )
    proposal = make_proposal(state=State.READY, call=call)
    office = api_client(people["office"])
    now = timezone.now().isoformat()
    assert move(office, proposal, "submit", funder_reference="S1-7", submitted_at=now).status_code == 200
    assert (
        move(office, proposal, "invite_to_stage2", funder_feedback="Full proposal invited").status_code == 200
    )
    response = move(office, proposal, "start_stage2")
    assert (response.json()["state"], response.json()["stage"]) == ("drafting", 2)
    assert move(office, proposal, "mark_ready").status_code == 200
    now = timezone.now().isoformat()
    assert move(office, proposal, "submit", funder_reference="S2-7", submitted_at=now).status_code == 200
    response = move(office, proposal, "invite_to_stage2")
    assert response.status_code == 409 and response.json()["reasons"][0]["code"] == "already_stage2"
    submissions = office.get(f"{detail(proposal)}submissions/").json()
    assert sorted((s["stage"], s["funder_reference"]) for s in submissions) == [(1, "S1-7"), (2, "S2-7")]
    assert len(office.get(f"{detail(proposal)}history/").json()) == 5


@pytest.mark.django_db
def test_a_rejected_proposal_comes_back_as_a_new_idea(api_client, people, make_proposal):
    proposal = make_proposal(state=State.REJECTED)
    response = api_client(people["lead"]).post(f"{detail(proposal)}reuse/")
    assert response.status_code == 201
    assert (response.json()["state"], response.json()["reused_from"]) == ("idea", proposal.pk)
    assert api_client(people["partner"]).get(f"{LIST}{response.json()['id']}/").status_code == 200


@pytest.mark.django_db
def test_soft_delete_hides_but_keeps_the_proposal(api_client, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    assert api_client(people["lead"]).delete(detail(proposal)).status_code == 409
    assert api_client(people["office"]).delete(detail(proposal)).status_code == 204
    assert api_client(people["office"]).get(detail(proposal)).status_code == 404
    assert Proposal.objects.filter(pk=proposal.pk, deleted_at__isnull=False).exists()


@pytest.mark.django_db
def test_the_office_records_a_consultation(api_client, people, make_proposal):
    proposal = make_proposal(state=State.CONSULTATION)
    payload = {
        "held_at": timezone.now().isoformat(),
        "notes": "Ortak arayışı konuşuldu",
        "office_experts": [people["office"].pk],
        "team_participants": [people["lead"].pk],
    }
    assert (
        api_client(people["lead"])
        .post(f"{detail(proposal)}consultations/", payload, format="json")
        .status_code
        == 409
    )
    response = api_client(people["office"]).post(f"{detail(proposal)}consultations/", payload, format="json")
    assert response.status_code == 201
    listed = api_client(people["lead"]).get(f"{detail(proposal)}consultations/").json()
    assert [c["notes"] for c in listed] == ["Ortak arayışı konuşuldu"]


@pytest.mark.django_db
@pytest.mark.parametrize("full", [True, False])
def test_the_fast_representation_equals_the_declared_fields(people, make_proposal, full):
    from decimal import Decimal

    from rest_framework import serializers as drf_serializers

    from workflows.api.serializers import ProposalSerializer
    from workflows.models import ProposalPartner

    if full:
        call = CallFactory(is_two_stage=True)
        proposal = make_proposal(
            state=State.AWARDED,
            call=call,
            coordinator=people["office"],
            requested_amount=Decimal("150000.5"),
            total_budget=Decimal("187500"),
            awarded_amount=Decimal("149999.99"),
            funder_feedback="Puan 86/100",
            reused_from=make_proposal(state=State.REJECTED),
        )
        ProposalPartner.objects.create(
            proposal=proposal,
            municipality=MunicipalityFactory(name="Kırklareli Belediyesi"),
            role=ProposalPartner.Role.PARTNER,
        )
    else:
        proposal = make_proposal(state=State.IDEA, call=None, coordinator=None)
    proposal = ProposalSerializer.Meta.model.objects.select_related(
        "lead", "call__programme", "coordinator"
    ).get(pk=proposal.pk)
    serializer = ProposalSerializer()
    declared = drf_serializers.ModelSerializer.to_representation(serializer, proposal)
    assert serializer.to_representation(proposal) == dict(declared)
