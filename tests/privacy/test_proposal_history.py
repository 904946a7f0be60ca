"""A proposal's history shows who changed which field when, beside its transitions: through the API
(`GET /api/v1/proposals/{id}/history/`) and on the proposal page, in the reader's language."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from rest_framework.test import APIClient

from grants_office.core import tokens
from grants_office.core.people import display_name
from tests.factories.calls import CallFactory
from tests.factories.members import MunicipalityFactory, office_staff
from tests.querycount import measure
from workflows import services
from workflows.models import ProposalPartner
from workflows.states import State

pytestmark = pytest.mark.django_db


def history_url(proposal):
    return f"/api/v1/proposals/{proposal.pk}/history/"


def proposal_entries(proposal):
    return LogEntry.objects.get_for_object(proposal)


def token_client(user) -> APIClient:
    """A script with a real token: the person on the entries comes from the token, not a session."""
    _, raw = tokens.issue(user)
    return APIClient(HTTP_AUTHORIZATION=f"Token {raw}", HTTP_ACCEPT_LANGUAGE="en")


def test_an_edit_through_the_api_is_in_the_history_with_its_author_and_both_values(make_proposal):
    proposal = make_proposal(state=State.IDEA, title="Kıyı parkı")
    editor = office_staff(first_name="Ayşe", last_name="Kaya")
    client = token_client(editor)

    response = client.patch(f"/api/v1/proposals/{proposal.pk}/", {"title": "Kıyı parkı ve yürüyüş yolu"})
    assert response.status_code == 200, response.content

    history = client.get(history_url(proposal)).json()
    edits = [entry for entry in history if entry["kind"] == "change"]
    assert len(edits) == 1
    assert edits[0]["by"] == "Ayşe Kaya"
    assert edits[0]["changes"] == [
        {"field": "title", "label": "title", "old": "Kıyı parkı", "new": "Kıyı parkı ve yürüyüş yolu"}
    ]
    assert (edits[0]["transition"], edits[0]["source"], edits[0]["target"]) == ("", "", "")
    entry = proposal_entries(proposal).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == editor


def test_a_refused_edit_leaves_no_entry(make_proposal, people):
    proposal = make_proposal(state=State.SUBMITTED)
    before = LogEntry.objects.count()
    response = token_client(people["lead"]).patch(f"/api/v1/proposals/{proposal.pk}/", {"title": "Başka"})
    assert response.status_code == 409
    assert LogEntry.objects.count() == before


def test_a_related_field_shows_the_row_by_name_and_a_choice_by_its_label(make_proposal, people):
    old_call, new_call = CallFactory(title="Eski çağrı"), CallFactory(title="Yeni çağrı")
    proposal = make_proposal(state=State.IDEA, call=old_call)
    services.update_proposal(proposal, people["office"], call=new_call)

    [edit] = [
        e for e in token_client(people["office"]).get(history_url(proposal)).json() if e["kind"] == "change"
    ]
    assert {c["field"]: (c["old"], c["new"]) for c in edit["changes"]}["call"] == (
        str(old_call),
        str(new_call),
    )
    # a service run outside a request still names who acted
    assert edit["by"] == display_name(people["office"])


def test_partners_replaced_show_as_one_change_of_the_list(make_proposal, people, partner_organisation):
    proposal = make_proposal(state=State.DRAFTING)
    newcomer = MunicipalityFactory(name="Babaeski Belediyesi")
    services.update_proposal(
        proposal,
        people["office"],
        partners=[
            {"organisation": partner_organisation, "role": ProposalPartner.Role.PARTNER},
            {"municipality": newcomer, "role": ProposalPartner.Role.PARTNER},
        ],
    )
    [edit] = [
        e for e in token_client(people["lead"]).get(history_url(proposal)).json() if e["kind"] == "change"
    ]
    [change] = edit["changes"]
    assert change["field"] == "partners"
    assert change["old"] == "Haskovo Municipality (BG) (Ortak)"
    assert change["new"] == "Babaeski Belediyesi (Ortak); Haskovo Municipality (BG) (Ortak)"


def test_the_same_partners_again_are_no_change(make_proposal, people, partner_organisation):
    proposal = make_proposal(state=State.DRAFTING)
    services.update_proposal(proposal, people["office"], partners=[{"organisation": partner_organisation}])
    assert not proposal_entries(proposal).filter(action=LogEntry.Action.UPDATE).exists()


def test_fields_a_transition_sets_show_with_the_transition_not_as_an_edit(make_proposal, people):
    proposal = make_proposal(state=State.SUBMITTED)
    services.perform_transition(
        proposal, "award", people["office"], awarded_amount="120000.00", decided_on="2026-11-20"
    )
    history = token_client(people["office"]).get(history_url(proposal)).json()
    assert [entry["kind"] for entry in history] == ["transition"]
    changed = {c["field"]: c["new"] for c in history[0]["changes"]}
    assert changed["awarded_amount"] == "120,000.00"
    assert changed["decided_on"] == "11/20/2026"


def test_the_page_shows_the_edit_in_the_readers_language(make_proposal, people, client_for):
    proposal = make_proposal(state=State.IDEA, summary="Eski özet", total_budget=Decimal("250000"))
    services.update_proposal(
        proposal, people["office"], summary="Yeni özet", total_budget=Decimal("1250000.5")
    )

    english = client_for(people["lead"]).get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Edited" in english and "Eski özet" in english and "Yeni özet" in english
    turkish = client_for(people["lead"], language="tr").get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Düzenlendi" in turkish and "Özet" in turkish
    assert "250.000,00 → <ins>1.250.000,50" in turkish.replace("</del> ", " ").replace("<del>", "")
    assert "1,250,000.50" in english


def test_the_history_costs_the_same_queries_for_one_edit_or_many(make_proposal, people):
    office = people["office"]
    few, many = make_proposal(state=State.IDEA), make_proposal(state=State.IDEA)
    services.update_proposal(few, office, title="Bir", coordinator=office_staff())
    for number in range(6):
        services.update_proposal(many, office, title=f"Sürüm {number}", coordinator=office_staff())
    assert (
        measure(office, history_url(few), api=True).queries
        == measure(office, history_url(many), api=True).queries
    )
    page = "/proposals/{}/".format
    assert measure(office, page(few.pk)).queries == measure(office, page(many.pk)).queries


def test_an_api_write_is_its_token_holders_and_from_the_client_address(make_proposal, people):
    """A write whose service is not told who acts (a consultation) takes the person from the token."""
    proposal = make_proposal(state=State.CONSULTATION)
    client = token_client(people["office"])
    payload = {
        "held_at": "2026-11-30T10:00:00+03:00",
        "notes": "Ortak arayışı",
        "office_experts": [],
        "team_participants": [],
    }
    assert (
        client.post(
            f"/api/v1/proposals/{proposal.pk}/consultations/", payload, REMOTE_ADDR="10.1.2.3"
        ).status_code
        == 201
    )
    entry = LogEntry.objects.filter(action=LogEntry.Action.CREATE).latest("id")
    assert entry.content_type.model == "consultation"
    assert (entry.actor, entry.remote_addr) == (people["office"], "10.1.2.3")


def test_a_deleted_proposal_leaves_an_entry_once(make_proposal, people):
    proposal = make_proposal(state=State.IDEA)
    services.delete_proposal(proposal, people["office"])
    services.delete_proposal(proposal, people["office"])
    [entry] = proposal_entries(proposal).filter(action=LogEntry.Action.UPDATE)
    assert entry.actor == people["office"] and entry.changes["deleted_at"][0] == "None"
