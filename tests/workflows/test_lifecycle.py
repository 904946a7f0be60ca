"""Conditions, data, deadlines, races, rollback, expiry, reuse and what-can-I-do-now."""

from datetime import timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_fsm_log.models import StateLog

from grants_office.core.errors import Conflict, Invalid
from tests.concurrency import at_once
from tests.factories import CallFactory
from workflows import services
from workflows.access import can_view
from workflows.states import State

BRUSSELS = ZoneInfo("Europe/Brussels")


def reason_codes(error):
    return [r.code for r in error.reasons]


@pytest.mark.django_db
def test_mark_ready_after_deadline_is_blocked_with_the_funder_time(people, make_proposal):
    call = CallFactory(deadline=timezone.now() - timedelta(minutes=1), deadline_timezone="Europe/Brussels")
    proposal = make_proposal(state=State.DRAFTING, call=call)
    with pytest.raises(Conflict) as error:
        services.perform_transition(proposal, "mark_ready", people["office"])
    assert reason_codes(error.value) == ["deadline_passed"]
    assert "(Europe/Brussels)" in error.value.reasons[0].message
    proposal.refresh_from_db()
    assert proposal.state == State.DRAFTING


@pytest.mark.django_db
def test_mark_ready_without_call_is_blocked(people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING, call=None)
    with pytest.raises(Conflict) as error:
        services.perform_transition(proposal, "mark_ready", people["office"])
    assert "no_call" in reason_codes(error.value)


@pytest.mark.django_db
def test_invite_to_stage2_on_single_stage_call_is_blocked(people, make_proposal):
    proposal = make_proposal(state=State.SUBMITTED, call=CallFactory(is_two_stage=False))
    with pytest.raises(Conflict) as error:
        services.perform_transition(proposal, "invite_to_stage2", people["office"])
    assert reason_codes(error.value) == ["single_stage_call"]


@pytest.mark.django_db
def test_invite_to_stage2_in_stage_two_is_blocked(people, make_proposal):
    proposal = make_proposal(state=State.SUBMITTED, call=CallFactory(is_two_stage=True), stage=2)
    with pytest.raises(Conflict) as error:
        services.perform_transition(proposal, "invite_to_stage2", people["office"])
    assert reason_codes(error.value) == ["already_stage2"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["drop", "withdraw"])
def test_reason_is_required_and_logged(people, make_proposal, name):
    proposal = make_proposal(state=State.IDEA)
    with pytest.raises(Invalid) as error:
        services.perform_transition(proposal, name, people["office"], reason="")
    assert "reason" in error.value.fields
    services.perform_transition(
        proposal, name, people["office"], reason="No co-financing", comment="Agreed by phone"
    )
    log = StateLog.objects.for_(proposal).get()
    assert log.description == "No co-financing\n\nAgreed by phone"


@pytest.mark.django_db
def test_start_drafting_needs_a_call_and_records_it(people, make_proposal):
    proposal = make_proposal(state=State.CONSULTATION, call=None)
    with pytest.raises(Invalid) as error:
        services.perform_transition(proposal, "start_drafting", people["office"])
    assert "call" in error.value.fields
    call = CallFactory()
    moved = services.perform_transition(proposal, "start_drafting", people["office"], call=call.pk)
    assert (moved.state, moved.call_id) == (State.DRAFTING, call.pk)


@pytest.mark.django_db
def test_start_drafting_refuses_a_closed_call(people, make_proposal):
    proposal = make_proposal(state=State.CONSULTATION, call=None)
    closed = CallFactory(deadline=timezone.now() - timedelta(days=1))
    with pytest.raises(Invalid) as error:
        services.perform_transition(proposal, "start_drafting", people["office"], call=closed.pk)
    assert "call" in error.value.fields


@pytest.mark.django_db
def test_award_needs_a_positive_amount(people, make_proposal):
    proposal = make_proposal(state=State.SUBMITTED)
    for bad in [None, "", "-5", "abc"]:
        with pytest.raises(Invalid):
            services.perform_transition(proposal, "award", people["office"], awarded_amount=bad)
    moved = services.perform_transition(proposal, "award", people["office"], awarded_amount="199999.50")
    assert str(moved.awarded_amount) == "199999.50"


def brussels_deadline(days=0, hour=17, minute=0):
    """A call deadline at HH:MM Brussels time, `days` from today (Brussels calendar)."""
    today = timezone.now().astimezone(BRUSSELS).date() + timedelta(days=days)
    return timezone.datetime(today.year, today.month, today.day, hour, minute, tzinfo=BRUSSELS)


@pytest.mark.django_db
def test_submission_at_the_brussels_deadline_second_is_accepted_one_second_later_refused(
    people, make_proposal
):
    deadline = brussels_deadline(days=-1)
    call = CallFactory(deadline=deadline, deadline_timezone="Europe/Brussels")
    late = make_proposal(state=State.READY, call=call)
    with pytest.raises(Invalid) as error:
        services.perform_transition(
            late,
            "submit",
            people["office"],
            funder_reference="IPA-1",
            submitted_at=deadline + timedelta(seconds=1),
        )
    assert "submitted_at" in error.value.fields
    assert "17:00 (Europe/Brussels)" in error.value.fields["submitted_at"][0]
    on_time = make_proposal(state=State.READY, call=call)
    moved = services.perform_transition(
        on_time, "submit", people["office"], funder_reference="IPA-2", submitted_at=deadline.isoformat()
    )
    assert moved.state == State.SUBMITTED
    submission = moved.submissions.get()
    assert (submission.funder_reference, submission.submitted_at) == ("IPA-2", deadline)
    assert submission.recorded_by == people["office"]


@pytest.mark.django_db
def test_a_submission_time_in_the_future_is_refused(people, make_proposal):
    proposal = make_proposal(state=State.READY, call=CallFactory())
    with pytest.raises(Invalid) as error:
        services.perform_transition(
            proposal,
            "submit",
            people["office"],
            funder_reference="X",
            submitted_at=timezone.now() + timedelta(hours=1),
        )
    assert "submitted_at" in error.value.fields
    proposal.refresh_from_db()
    assert proposal.state == State.READY
    assert not proposal.submissions.exists()


@pytest.mark.django_db
def test_mark_ready_is_allowed_until_the_deadline_minute(people, make_proposal):
    call = CallFactory(deadline=timezone.now() + timedelta(seconds=30))
    proposal = make_proposal(state=State.DRAFTING, call=call)
    moved = services.perform_transition(proposal, "mark_ready", people["office"])
    assert moved.state == State.READY


@pytest.mark.django_db
def test_resubmission_records_a_new_submission_and_the_newest_counts(people, make_proposal):
    call = CallFactory(deadline=timezone.now() + timedelta(days=3))
    proposal = make_proposal(state=State.READY, call=call)
    first = timezone.now() - timedelta(hours=2)
    services.perform_transition(
        proposal, "submit", people["lead"], funder_reference="A-1", submitted_at=first
    )
    services.perform_transition(
        proposal, "resubmit", people["lead"], funder_reference="A-2", submitted_at=timezone.now()
    )
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
    assert proposal.submissions.count() == 2
    assert proposal.latest_submission.funder_reference == "A-2"
    assert [log.transition for log in StateLog.objects.for_(proposal)] == ["submit", "resubmit"]


@pytest.mark.django_db
def test_a_resubmission_cannot_be_dated_before_the_submission_it_replaces(people, make_proposal):
    call = CallFactory(deadline=timezone.now() + timedelta(days=3))
    proposal = make_proposal(state=State.READY, call=call)
    services.perform_transition(
        proposal, "submit", people["lead"], funder_reference="A-1", submitted_at=timezone.now()
    )
    with pytest.raises(Invalid) as error:
        services.perform_transition(
            proposal,
            "resubmit",
            people["lead"],
            funder_reference="A-0",
            submitted_at=timezone.now() - timedelta(hours=1),
        )
    assert "submitted_at" in error.value.fields
    assert list(proposal.submissions.values_list("funder_reference", flat=True)) == ["A-1"]


@pytest.mark.django_db
def test_resubmission_after_the_deadline_is_blocked(people, make_proposal):
    call = CallFactory(deadline=timezone.now() + timedelta(days=1))
    proposal = make_proposal(state=State.READY, call=call)
    services.perform_transition(
        proposal, "submit", people["office"], funder_reference="A-1", submitted_at=timezone.now()
    )
    call.deadline = timezone.now() - timedelta(minutes=5)
    call.save()
    with pytest.raises(Conflict) as error:
        services.perform_transition(
            proposal, "resubmit", people["office"], funder_reference="A-2", submitted_at=timezone.now()
        )
    assert reason_codes(error.value) == ["deadline_passed"]
    assert proposal.submissions.count() == 1


@pytest.mark.django_db
def test_unknown_transition_is_not_found(people, make_proposal):
    from grants_office.core.errors import NotFound

    with pytest.raises(NotFound):
        services.perform_transition(make_proposal(), "teleport", people["office"])


@pytest.mark.django_db
def test_system_steps_cannot_be_run_by_hand(people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING, call=CallFactory())
    with pytest.raises(Conflict) as error:
        services.perform_transition(proposal, "expire", people["office"])
    assert reason_codes(error.value) == ["system_only"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_rolls_back_the_whole_transition(people, make_proposal):
    from django_fsm.signals import post_transition

    proposal = make_proposal(state=State.IDEA)

    def explode(sender, instance, name, **kwargs):
        raise RuntimeError("disk full")

    post_transition.connect(explode, dispatch_uid="test-explode")
    try:
        with pytest.raises(RuntimeError):
            services.perform_transition(proposal, "start_consultation", people["office"])
    finally:
        post_transition.disconnect(dispatch_uid="test-explode")
    proposal.refresh_from_db()
    assert proposal.state == State.IDEA
    assert not StateLog.objects.for_(proposal).exists()


@pytest.mark.django_db(transaction=True)
def test_the_event_commits_or_rolls_back_with_the_change(people, make_proposal):
    """The outbox row is written in the transaction of the move: a caller's failure takes both back."""
    from django.db import transaction

    from notifications.models import Notification, OutboxEvent

    proposal = make_proposal(state=State.IDEA)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        services.perform_transition(proposal, "start_consultation", people["office"])
        assert OutboxEvent.objects.filter(signal="proposal_transitioned").count() == 1
        raise ZeroDivisionError  # the caller's transaction fails after the transition
    assert not OutboxEvent.objects.exists()
    assert not Notification.objects.exists()

    services.perform_transition(proposal, "start_consultation", people["office"], comment="ok")
    event = OutboxEvent.objects.get()
    assert event.signal == "proposal_transitioned"
    assert event.payload["transition"] == "start_consultation"
    assert event.payload["proposal"] == {"model": "workflows.proposal", "pk": proposal.pk}
    assert event.relayed_at is not None  # eager: relayed on commit
    occasions = set(Notification.objects.values_list("occasion", flat=True))
    assert occasions == {f"event {event.event_id}"}


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_the_same_transition_one_wins_one_gets_409(people, make_proposal):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers")
    proposal = make_proposal(state=State.SUBMITTED)

    def run(user, name):
        try:
            data = {"awarded_amount": "1000"} if name == "award" else {}
            services.perform_transition(proposal, name, user, **data)
            return "ok"
        except Conflict as error:
            return error.code

    outcomes = at_once(partial(run, people["office"], "award"), partial(run, people["office"], "reject"))
    assert sorted(outcomes) == ["ok", "transition_not_allowed"]
    proposal.refresh_from_db()
    assert proposal.state in (State.AWARDED, State.REJECTED)
    assert StateLog.objects.for_(proposal).count() == 1


@pytest.mark.django_db
def test_expiry_moves_overdue_drafting_and_ready_only_and_is_idempotent(people, make_proposal):
    from io import StringIO

    from django.core.management import call_command

    past = CallFactory(deadline=timezone.now() - timedelta(hours=1))
    future = CallFactory(deadline=timezone.now() + timedelta(days=1))
    drafting = make_proposal(state=State.DRAFTING, call=past)
    ready = make_proposal(state=State.READY, call=past)
    submitted = make_proposal(state=State.SUBMITTED, call=past)
    still_open = make_proposal(state=State.DRAFTING, call=future)
    out = StringIO()
    call_command("expire_proposals", stdout=out)
    assert "2" in out.getvalue()
    for proposal, state in [
        (drafting, State.EXPIRED),
        (ready, State.EXPIRED),
        (submitted, State.SUBMITTED),
        (still_open, State.DRAFTING),
    ]:
        proposal.refresh_from_db()
        assert proposal.state == state
    assert services.expire_overdue() == []
    log = StateLog.objects.for_(drafting).get()
    assert (log.transition, log.by) == ("expire", None)


@pytest.mark.django_db
def test_the_expiry_task_runs_the_service(people, make_proposal):
    from workflows.tasks import expire_overdue_proposals

    make_proposal(state=State.DRAFTING, call=CallFactory(deadline=timezone.now() - timedelta(days=1)))
    assert expire_overdue_proposals.delay().get() == 1
    assert expire_overdue_proposals.delay().get() == 0


@pytest.mark.django_db
def test_a_rejected_proposal_is_reused_as_a_new_linked_idea(people, make_proposal):
    proposal = make_proposal(state=State.REJECTED, title="Meriç Taşkın Erken Uyarı", acronym="MERIC")
    reused = services.reuse_proposal(proposal, people["lead"])
    assert (reused.state, reused.reused_from, reused.title) == (State.IDEA, proposal, proposal.title)
    assert reused.call is None
    assert list(reused.partners.values_list("organisation__name", flat=True)) == ["Haskovo Municipality"]
    # the partner team sees the new idea: it is still a partner
    assert can_view(people["partner"], reused)
    with pytest.raises(Conflict):
        services.reuse_proposal(make_proposal(state=State.DRAFTING), people["lead"])


@pytest.mark.django_db
def test_available_transitions_explain_what_is_blocked(people, make_proposal):
    from workflows import lifecycle

    call = CallFactory(deadline=timezone.now() - timedelta(hours=1))
    proposal = make_proposal(state=State.DRAFTING, call=call)
    office = {o.name: o for o in lifecycle.available(proposal, people["office"])}
    assert not office["mark_ready"].allowed
    assert [r.code for r in office["mark_ready"].reasons] == ["deadline_passed"]
    assert office["withdraw"].allowed
    assert "expire" not in office  # system steps are not offered
    member = {o.name for o in lifecycle.available(proposal, people["member"])}
    assert "mark_ready" not in member  # the office marks a proposal ready
    assert lifecycle.available(proposal, people["other_team"]) == []
