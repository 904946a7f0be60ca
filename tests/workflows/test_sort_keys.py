"""The proposal's sorted copies of its deadlines (issue 18) stay equal to `Proposal.deadline` and the
call's own deadline however they change, and the list's orderings by them are the orderings of those
deadlines (empty ones last either way)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CallFactory, ProposalFactory, office_staff
from workflows import deadlines
from workflows.models import Proposal
from workflows.states import State

pytestmark = pytest.mark.django_db


def _keys(proposal):
    row = Proposal.objects.get(pk=proposal.pk)
    return row.sort_deadline, row.sort_call_deadline


def _expected(proposal):
    row = Proposal.objects.select_related("call").get(pk=proposal.pk)
    return row.deadline, row.call.deadline if row.call_id else None


def test_a_new_proposal_copies_its_calls_deadline_and_one_without_a_call_has_none():
    on_call = ProposalFactory(state=State.DRAFTING)
    idea = ProposalFactory(call=None, state=State.IDEA)
    assert _keys(on_call) == (on_call.call.deadline, on_call.call.deadline)
    assert _keys(idea) == (None, None)


def test_a_calls_new_deadlines_reach_its_proposals_without_making_them_a_new_version():
    later = timezone.now() + timedelta(days=90)
    call = CallFactory(stage2_deadline=later + timedelta(days=60))
    first = ProposalFactory(call=call, state=State.DRAFTING)
    invited = ProposalFactory(call=call, state=State.INVITED_STAGE2)
    second_stage = ProposalFactory(call=call, state=State.DRAFTING, stage=2)
    before = {p.pk: (p.version, p.updated_at) for p in Proposal.objects.filter(call=call)}
    assert _keys(invited) == (call.stage2_deadline, call.deadline)

    call.deadline = later
    call.stage2_deadline = later + timedelta(days=30)
    call.save()
    for proposal in (first, invited, second_stage):
        assert _keys(proposal) == _expected(proposal)
    assert _keys(second_stage)[0] == call.stage2_deadline
    assert {p.pk: (p.version, p.updated_at) for p in Proposal.objects.filter(call=call)} == before


def test_a_proposal_moved_to_another_call_or_to_stage_2_copies_again():
    proposal = ProposalFactory(state=State.DRAFTING)
    other = CallFactory(
        deadline=timezone.now() + timedelta(days=5), stage2_deadline=timezone.now() + timedelta(days=50)
    )
    proposal = Proposal.objects.get(pk=proposal.pk)
    proposal.call = other
    proposal.save(update_fields=["call"])
    assert _keys(proposal) == (other.deadline, other.deadline)
    Proposal.objects.filter(pk=proposal.pk).update(stage=2)
    proposal = Proposal.objects.get(pk=proposal.pk)
    proposal.save(update_fields=["title"])
    assert _keys(proposal) == (other.stage2_deadline, other.deadline)


def test_refreshing_a_call_reaches_a_deleted_proposal_too():
    proposal = ProposalFactory(state=State.DRAFTING, deleted_at=timezone.now())
    call = proposal.call
    Proposal.objects.filter(pk=proposal.pk).update(sort_deadline=None, sort_call_deadline=None)
    assert deadlines.refresh_for_call(call) == 1
    assert _keys(proposal) == (call.deadline, call.deadline)


@pytest.mark.parametrize("key", ["deadline", "call__deadline"])
def test_the_list_ordered_by_a_deadline_is_the_order_of_that_deadline(api_client, key):
    now = timezone.now()
    calls = [
        CallFactory(deadline=now + timedelta(days=d), stage2_deadline=now + timedelta(days=40 - d))
        for d in (3, 9, 20)
    ]
    for index, call in enumerate(calls):
        ProposalFactory(call=call, state=State.DRAFTING)
        ProposalFactory(call=call, state=State.INVITED_STAGE2 if index else State.DRAFTING)
    ProposalFactory(call=None, state=State.IDEA)
    calls[0].deadline = now + timedelta(days=30)  # moved: the copies follow
    calls[0].save()
    office = office_staff()

    def value(row):
        proposal = Proposal.objects.select_related("call").get(pk=row["id"])
        if proposal.call_id is None:
            return None
        return proposal.deadline if key == "deadline" else proposal.call.deadline

    for direction in ("", "-"):
        body = api_client(office).get(f"/api/v1/proposals/?ordering={direction}{key}").json()
        values = [value(row) for row in body["results"]]
        present = [v for v in values if v is not None]
        assert values == present + [None] * (len(values) - len(present))  # empty last either way
        assert present == sorted(present, reverse=direction == "-")
        assert len(values) == 7
