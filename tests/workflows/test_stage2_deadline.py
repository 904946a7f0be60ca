"""Two-stage calls: the stage-2 deadline is required to invite, and stage-2 proposals live by it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import kinds, reminders
from notifications import services as notification_services
from notifications.models import Notification
from tests.factories import CallFactory
from workflows import services
from workflows.states import State

pytestmark = pytest.mark.django_db


def move(client, proposal, name, **data):
    return client.post(f"/api/v1/proposals/{proposal.pk}/transitions/{name}/", data, format="json")


def codes(response):
    return [reason["code"] for reason in response.json()["reasons"]]


def two_stage_call(*, stage1_in, stage2_in=None):
    now = timezone.now()
    return CallFactory(
        is_two_stage=True,
        deadline=now + stage1_in,
        stage2_deadline=None if stage2_in is None else now + stage2_in,
        deadline_timezone="Europe/Brussels",
    )


# --- inviting --------------------------------------------------------------------------------------
def test_invite_to_stage2_needs_the_stage2_deadline(api_client, people, make_proposal):
    call = two_stage_call(stage1_in=-timedelta(days=20))
    proposal = make_proposal(state=State.SUBMITTED, call=call)
    office = api_client(people["office"])
    response = move(office, proposal, "invite_to_stage2")
    assert response.status_code == 409
    assert codes(response) == ["no_stage2_deadline"]
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED

    call.stage2_deadline = timezone.now() + timedelta(days=90)
    call.save()
    response = move(office, proposal, "invite_to_stage2", funder_feedback="Invited")
    assert response.status_code == 200
    assert response.json()["state"] == State.INVITED_STAGE2


def test_transitions_list_explains_the_missing_stage2_deadline(api_client, people, make_proposal):
    proposal = make_proposal(state=State.SUBMITTED, call=two_stage_call(stage1_in=-timedelta(days=20)))
    options = api_client(people["office"]).get(f"/api/v1/proposals/{proposal.pk}/transitions/").json()
    invite = next(o for o in options["transitions"] if o["name"] == "invite_to_stage2")
    assert invite["allowed"] is False
    assert [r["code"] for r in invite["reasons"]] == ["no_stage2_deadline"]


# --- sign-off, submission, resubmission ------------------------------------------------------------
def test_stage2_proposal_is_signed_off_after_the_stage1_deadline(api_client, people, make_proposal):
    call = two_stage_call(stage1_in=-timedelta(days=30), stage2_in=timedelta(days=30))
    stage2 = make_proposal(state=State.DRAFTING, call=call, stage=2)
    stage1 = make_proposal(state=State.DRAFTING, call=call, stage=1)
    office = api_client(people["office"])
    assert move(office, stage2, "mark_ready").status_code == 200
    response = move(office, stage1, "mark_ready")
    assert response.status_code == 409 and codes(response) == ["deadline_passed"]


def test_stage2_sign_off_after_the_stage2_deadline_names_it(api_client, people, make_proposal):
    call = two_stage_call(stage1_in=-timedelta(days=60), stage2_in=-timedelta(minutes=1))
    proposal = make_proposal(state=State.DRAFTING, call=call, stage=2)
    response = move(api_client(people["office"]), proposal, "mark_ready")
    assert response.status_code == 409 and codes(response) == ["deadline_passed"]
    message = response.json()["reasons"][0]["message"]
    assert "stage-2 deadline" in message
    assert call.stage2_deadline_display() in message
    proposal.refresh_from_db()
    assert proposal.state == State.DRAFTING


def test_stage2_submission_after_the_stage1_deadline_is_recorded(api_client, people, make_proposal):
    call = two_stage_call(stage1_in=-timedelta(days=30), stage2_in=timedelta(days=30))
    proposal = make_proposal(state=State.READY, call=call, stage=2)
    now = timezone.now().isoformat()
    response = move(api_client(people["lead"]), proposal, "submit", funder_reference="S2-1", submitted_at=now)
    assert response.status_code == 200
    assert proposal.submissions.get().stage == 2


def test_stage2_submission_after_the_stage2_deadline_is_refused(api_client, people, make_proposal):
    call = two_stage_call(stage1_in=-timedelta(days=60), stage2_in=-timedelta(hours=1))
    proposal = make_proposal(state=State.READY, call=call, stage=2)
    now = timezone.now().isoformat()
    response = move(api_client(people["lead"]), proposal, "submit", funder_reference="S2-1", submitted_at=now)
    assert response.status_code == 400
    error = " ".join(response.json()["fields"]["submitted_at"])
    assert "stage-2 deadline" in error and call.stage2_deadline_display() in error
    assert not proposal.submissions.exists()


def test_stage2_resubmission_after_the_stage1_deadline(api_client, people, make_proposal):
    call = two_stage_call(stage1_in=-timedelta(days=30), stage2_in=timedelta(days=30))
    stage2 = make_proposal(state=State.SUBMITTED, call=call, stage=2)
    stage1 = make_proposal(state=State.SUBMITTED, call=call, stage=1)
    lead = api_client(people["lead"])
    now = timezone.now().isoformat()
    assert move(lead, stage2, "resubmit", funder_reference="S2-2", submitted_at=now).status_code == 200
    response = move(lead, stage1, "resubmit", funder_reference="S1-2", submitted_at=now)
    assert response.status_code == 409 and codes(response) == ["deadline_passed"]


# --- expiry ----------------------------------------------------------------------------------------
def test_expiry_uses_the_stage2_deadline_in_stage2(make_proposal):
    open_call = two_stage_call(stage1_in=-timedelta(days=30), stage2_in=timedelta(days=30))
    closed_call = two_stage_call(stage1_in=-timedelta(days=60), stage2_in=-timedelta(hours=1))
    stage2_open = make_proposal(state=State.DRAFTING, call=open_call, stage=2)
    stage1_late = make_proposal(state=State.DRAFTING, call=open_call, stage=1)
    stage2_late = make_proposal(state=State.READY, call=closed_call, stage=2)

    expired = services.expire_overdue()

    assert sorted(expired) == sorted([stage1_late.pk, stage2_late.pk])
    for proposal, state in [
        (stage2_open, State.DRAFTING),
        (stage1_late, State.EXPIRED),
        (stage2_late, State.EXPIRED),
    ]:
        proposal.refresh_from_db()
        assert proposal.state == state
    assert services.expire_overdue() == []


def test_expire_by_hand_is_blocked_before_the_stage2_deadline(people, make_proposal):
    from grants_office.core.errors import Conflict

    call = two_stage_call(stage1_in=-timedelta(days=30), stage2_in=timedelta(days=30))
    proposal = make_proposal(state=State.DRAFTING, call=call, stage=2)
    with pytest.raises(Conflict) as error:
        services.perform_transition(proposal, "expire", None, system=True)
    assert [r.code for r in error.value.reasons] == ["deadline_not_passed"]
    assert "stage-2 deadline" in error.value.reasons[0].message


# --- reminders -------------------------------------------------------------------------------------
def reminder_occasions(proposal):
    return set(
        Notification.objects.filter(kind=kinds.CALL_DEADLINE, object_id=proposal.pk).values_list(
            "occasion", flat=True
        )
    )


def test_stage2_teams_count_down_to_the_stage2_deadline(people, make_proposal):
    call = two_stage_call(stage1_in=-timedelta(days=30), stage2_in=timedelta(days=6, hours=20))
    drafting = make_proposal(state=State.DRAFTING, call=call, stage=2, coordinator=people["office"])
    invited = make_proposal(state=State.INVITED_STAGE2, call=call, stage=1, coordinator=people["office"])

    notification_services.scan_reminders(timezone.now())

    expected = {reminders.occasion(call.stage2_deadline, 7)}
    assert reminder_occasions(drafting) == expected
    assert reminder_occasions(invited) == expected
    body = Notification.objects.filter(object_id=drafting.pk, recipient=people["office"]).get().body
    assert call.stage2_deadline_display() in body


def test_stage2_teams_are_not_reminded_of_the_stage1_deadline(people, make_proposal):
    call = two_stage_call(stage1_in=timedelta(days=6, hours=20), stage2_in=timedelta(days=120))
    stage2 = make_proposal(state=State.DRAFTING, call=call, stage=2, coordinator=people["office"])
    stage1 = make_proposal(state=State.DRAFTING, call=call, stage=1, coordinator=people["office"])

    notification_services.scan_reminders(timezone.now())

    assert reminder_occasions(stage2) == set()
    assert reminder_occasions(stage1) == {reminders.occasion(call.deadline, 7)}


# --- what the API and the pages show -----------------------------------------------------------------
def test_proposal_api_shows_the_deadline_that_applies(api_client, people, make_proposal):
    call = two_stage_call(stage1_in=-timedelta(days=30), stage2_in=timedelta(days=30))
    stage2 = make_proposal(state=State.DRAFTING, call=call, stage=2)
    stage1 = make_proposal(state=State.SUBMITTED, call=call, stage=1)
    office = api_client(people["office"])
    body = office.get(f"/api/v1/proposals/{stage2.pk}/").json()
    assert timezone.datetime.fromisoformat(body["deadline"]) == call.stage2_deadline
    assert body["deadline_display"] == call.stage2_deadline_display()
    assert timezone.datetime.fromisoformat(body["call_detail"]["stage2_deadline"]) == call.stage2_deadline
    body = office.get(f"/api/v1/proposals/{stage1.pk}/").json()
    assert body["deadline_display"] == call.deadline_display()


def test_proposal_page_and_board_show_the_stage2_deadline(client_for, people, make_proposal):
    call = two_stage_call(stage1_in=-timedelta(days=30), stage2_in=timedelta(days=30))
    proposal = make_proposal(state=State.DRAFTING, call=call, stage=2)
    client = client_for(people["office"], language=None)
    for url in (f"/proposals/{proposal.pk}/", "/board/"):
        page = client.get(url).content.decode()
        assert call.stage2_deadline_display() in page, url
        assert call.deadline_display() not in page, url


def test_call_page_shows_the_stage2_deadline(client_for, people):
    call = two_stage_call(stage1_in=timedelta(days=10), stage2_in=timedelta(days=100))
    client = client_for(people["lead"], language=None)
    page = client.get(f"/calls/{call.pk}/").content.decode()
    assert call.stage2_deadline_display() in page


def test_proposal_list_filters_on_the_deadline_that_applies(api_client, people, make_proposal):
    call = two_stage_call(stage1_in=-timedelta(days=30), stage2_in=timedelta(days=30))
    stage2 = make_proposal(state=State.DRAFTING, call=call, stage=2)
    make_proposal(state=State.SUBMITTED, call=call, stage=1)
    office = api_client(people["office"])
    after = office.get("/api/v1/proposals/", {"deadline_after": timezone.now().isoformat()}).json()
    assert [p["id"] for p in after["results"]] == [stage2.pk]
    before = office.get("/api/v1/proposals/", {"deadline_before": timezone.now().isoformat()}).json()
    assert stage2.pk not in [p["id"] for p in before["results"]] and before["count"] == 1
