"""The pipeline board: cards, filters, and moving a proposal through the lifecycle from the page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants_office.calls.models import DocumentKind
from tests.factories import CallFactory, ProgrammeFactory, ProposalFactory
from tests.web.conftest import HTMX
from workflows.models import Proposal, Submission
from workflows.states import State

pytestmark = pytest.mark.django_db


def moves_url(proposal, next_url="/board/"):
    return f"/proposals/{proposal.pk}/moves/?next={next_url}"


def transition_url(proposal, name):
    return f"/proposals/{proposal.pk}/transitions/{name}/"


def test_the_board_has_a_column_per_open_state_and_cards_with_what_matters(client_for, people, make_proposal):
    call = CallFactory(reference="HORIZON-CL5-2027", deadline=timezone.now() + timedelta(days=12, hours=1))
    make_proposal(
        state=State.DRAFTING, call=call, title="Meriç Taşkın Erken Uyarı", coordinator=people["office"]
    )
    make_proposal(state=State.IDEA, call=None, title="Kent Bahçeleri")
    make_proposal(state=State.WITHDRAWN, title="Vazgeçilen")
    page = client_for(people["office"]).get("/board/").content.decode()
    for state in ["idea", "consultation", "drafting", "in_review", "ready", "submitted", "reserve"]:
        assert f'data-state="{state}"' in page
    assert 'data-state="withdrawn"' not in page and "Vazgeçilen" not in page
    for text in [
        "Meriç Taşkın Erken Uyarı",
        "Süleymanpaşa Belediyesi",
        "HORIZON-CL5-2027",
        "Ayşe Yılmaz",
        "12 days left",
        call.deadline_display(),
        "Kent Bahçeleri",
        "no call yet",
    ]:
        assert text in page, text
    closed = client_for(people["office"]).get("/board/?closed=on").content.decode()
    assert 'data-state="withdrawn"' in closed and "Vazgeçilen" in closed


def test_the_board_filters_by_programme_call_municipality_coordinator_and_search(
    client_for, people, make_proposal
):
    programme = ProgrammeFactory(name="Interreg IPA Bulgaria–Türkiye")
    call = CallFactory(programme=programme)
    mine = make_proposal(call=call, title="Sınır Ötesi Turizm", coordinator=people["office"])
    other = ProposalFactory(title="Çorlu Atık Yönetimi")
    client = client_for(people["office"])

    def titles(query):
        page = client.get(f"/board/?{query}").content.decode()
        return {title for title in (mine.title, other.title) if title in page}

    assert titles("") == {mine.title, other.title}
    assert titles(f"programme={programme.pk}") == {mine.title}
    assert titles(f"call={call.pk}") == {mine.title}
    assert titles(f"municipality={other.lead.pk}") == {other.title}
    assert titles(f"coordinator={people['office'].pk}") == {mine.title}
    assert titles("q=atık") == {other.title}
    assert titles("q=SÜLEYMANPAŞA") in ({mine.title}, set())  # SQLite folds ASCII only
    # htmx asks for the columns only, with the count swapped out of band
    fragment = client.get("/board/?q=turizm", HTTP_HX_TARGET="board", **HTMX).content.decode()
    assert "<html" not in fragment and 'hx-swap-oob="true"' in fragment and mine.title in fragment


def test_the_moves_panel_offers_only_what_is_allowed_with_forms_and_reasons(
    client_for, people, make_proposal
):
    call = CallFactory(required_documents=[DocumentKind.BUDGET, DocumentKind.WORK_PLAN])
    proposal = make_proposal(state=State.DRAFTING, call=call)
    panel = client_for(people["office"]).get(moves_url(proposal), **HTMX).content.decode()
    assert "<html" not in panel
    assert 'data-transition="withdraw"' in panel and 'name="reason"' in panel  # allowed, with its form
    blocked = panel.split('class="blocked"', 1)[1]
    assert 'data-transition="mark_ready"' in blocked
    assert 'data-reason="missing_documents"' in blocked and "Budget, Work plan" in blocked
    # system steps and steps of other roles are not offered
    assert "start_review" not in panel and "expire" not in panel
    # the page also works without JavaScript
    assert "<html" in client_for(people["office"]).get(moves_url(proposal)).content.decode()


def test_a_passed_deadline_is_a_reason_shown_on_the_panel(client_for, people, make_proposal):
    call = CallFactory(
        opens_on=timezone.localdate() - timedelta(days=90), deadline=timezone.now() - timedelta(days=1)
    )
    proposal = make_proposal(state=State.DRAFTING, call=call)
    panel = client_for(people["office"]).get(moves_url(proposal), **HTMX).content.decode()
    assert 'data-reason="deadline_passed"' in panel and call.deadline_display() in panel


def test_an_allowed_move_happens_and_the_board_reloads(client_for, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    client = client_for(people["office"])
    response = client.post(
        transition_url(proposal, "start_consultation"),
        {"comment": "Fikir uygun", "next": "/board/?q=x"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/board/?q=x"
    proposal.refresh_from_db()
    assert proposal.state == State.CONSULTATION
    assert "is now In consultation" in client.get("/board/?q=x").content.decode()  # the flash message


def test_start_drafting_takes_a_call_from_the_form(client_for, people, make_proposal):
    call = CallFactory(reference="CERV-2027-CITIZENS")
    proposal = make_proposal(state=State.CONSULTATION, call=None)
    client = client_for(people["office"])
    panel = client.get(moves_url(proposal), **HTMX).content.decode()
    assert "CERV-2027-CITIZENS" in panel
    response = client.post(transition_url(proposal, "start_drafting"), {"call": call.pk})
    assert response.status_code == 302 and response["Location"] == f"/proposals/{proposal.pk}/"
    proposal.refresh_from_db()
    assert (proposal.state, proposal.call) == (State.DRAFTING, call)


def test_a_blocked_move_answers_409_with_the_reasons_and_changes_nothing(client_for, people, make_proposal):
    call = CallFactory(required_documents=[DocumentKind.BUDGET])
    proposal = make_proposal(state=State.DRAFTING, call=call)
    response = client_for(people["office"]).post(
        transition_url(proposal, "mark_ready"), {"next": "/board/"}, **HTMX
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'role="alert"' in body and 'data-reason="missing_documents"' in body and "Budget" in body
    proposal.refresh_from_db()
    assert proposal.state == State.DRAFTING
    # from the wrong state, too
    response = client_for(people["office"]).post(
        transition_url(proposal, "award"), {"awarded_amount": "1"}, **HTMX
    )
    assert response.status_code == 409 and 'data-reason="wrong_state"' in response.content.decode()


def test_a_team_member_cannot_run_office_steps(client_for, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    response = client_for(people["member"]).post(transition_url(proposal, "start_consultation"), **HTMX)
    assert response.status_code == 409 and 'data-reason="not_permitted"' in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).state == State.IDEA


def test_bad_data_answers_400_with_the_form_and_its_errors(client_for, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    client = client_for(people["office"])
    response = client.post(transition_url(proposal, "drop"), {"reason": ""}, **HTMX)
    assert response.status_code == 400
    body = response.content.decode()
    assert '<details open data-transition="drop">' in body
    assert 'id="id_drop_reason_error"' in body and 'aria-invalid="true"' in body
    assert Proposal.objects.get(pk=proposal.pk).state == State.IDEA


def test_recording_a_submission_in_the_future_is_refused_then_accepted(client_for, people, make_proposal):
    proposal = make_proposal(state=State.READY)
    client = client_for(people["lead"])
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        transition_url(proposal, "submit"), {"funder_reference": "IPA-1", "submitted_at": future}, **HTMX
    )
    assert response.status_code == 400 and "in the future" in response.content.decode()
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        transition_url(proposal, "submit"), {"funder_reference": "IPA-1", "submitted_at": past}, **HTMX
    )
    assert response.status_code == 200, response.content.decode()
    submission = Submission.objects.get(proposal=proposal)
    # the form's time is the person's local time (Europe/Istanbul)
    assert timezone.localtime(submission.submitted_at).strftime("%Y-%m-%dT%H:%M") == past
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED


def test_other_municipalities_get_404_for_the_panel_and_the_move(client_for, people, make_proposal):
    proposal = make_proposal(state=State.READY)
    client = client_for(people["other_team"])
    assert client.get(moves_url(proposal), **HTMX).status_code == 404
    assert client.post(transition_url(proposal, "withdraw"), {"reason": "x"}, **HTMX).status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).state == State.READY


def test_an_unknown_transition_is_404(client_for, people, make_proposal):
    proposal = make_proposal()
    assert client_for(people["office"]).post(transition_url(proposal, "teleport")).status_code == 404


def test_moves_need_post_and_the_csrf_token(client_for, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    client = client_for(people["office"], enforce_csrf_checks=True)
    assert client.get(transition_url(proposal, "start_consultation")).status_code == 405
    assert client.post(transition_url(proposal, "start_consultation"), **HTMX).status_code == 403
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    token = page.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    response = client.post(transition_url(proposal, "start_consultation"), HTTP_X_CSRFTOKEN=token, **HTMX)
    assert response.status_code == 200
    assert Proposal.objects.get(pk=proposal.pk).state == State.CONSULTATION


def test_next_must_stay_on_this_site(client_for, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    response = client_for(people["office"]).post(
        transition_url(proposal, "start_consultation"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/proposals/{proposal.pk}/"


def test_the_team_lead_sees_their_own_steps_and_a_member_none(client_for, people, make_proposal):
    proposal = make_proposal(state=State.READY)
    lead_page = client_for(people["lead"]).get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'data-transition="submit"' in lead_page and 'data-transition="reopen"' in lead_page
    assert 'data-transition="mark_ready"' not in lead_page
    member_page = client_for(people["member"]).get(f"/proposals/{proposal.pk}/").content.decode()
    assert "There is nothing you can do with this proposal now." in member_page
