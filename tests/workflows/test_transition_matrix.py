"""Every transition × every role through the API: allowed → 200, visible but not permitted → 409,
not visible → 404, anonymous → 401. Nothing changes on refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_fsm_log.models import StateLog

from tests.factories import CallFactory
from workflows.states import State

OFFICE = {"office"}
OFFICE_OR_LEAD = {"office", "lead"}
ROLES = ["office", "lead", "member", "partner", "other_team", "reviewer", "anonymous"]
VISIBLE = {"office", "lead", "member", "partner"}


def submission_data():
    return {
        "funder_reference": "IPA-BG-TR-0042",
        "submitted_at": (timezone.now() - timedelta(minutes=1)).isoformat(),
    }


# name, source state, data factory, roles that may, extra proposal kwargs
CASES = [
    ("start_consultation", State.IDEA, dict, OFFICE, {}),
    ("drop", State.IDEA, lambda: {"reason": "Outside the union's priorities"}, OFFICE, {}),
    ("drop", State.CONSULTATION, lambda: {"reason": "No fitting call"}, OFFICE, {}),
    ("start_drafting", State.CONSULTATION, dict, OFFICE, {}),
    ("mark_ready", State.DRAFTING, dict, OFFICE, {}),
    ("reopen", State.READY, dict, OFFICE_OR_LEAD, {}),
    ("submit", State.READY, submission_data, OFFICE_OR_LEAD, {}),
    ("resubmit", State.SUBMITTED, submission_data, OFFICE_OR_LEAD, {}),
    ("award", State.SUBMITTED, lambda: {"awarded_amount": "250000.00"}, OFFICE, {}),
    ("award", State.RESERVE, lambda: {"awarded_amount": "250000.00"}, OFFICE, {}),
    ("put_on_reserve", State.SUBMITTED, dict, OFFICE, {}),
    ("reject", State.SUBMITTED, lambda: {"funder_feedback": "Impact 2.5/5"}, OFFICE, {}),
    ("reject", State.RESERVE, dict, OFFICE, {}),
    ("declare_ineligible", State.SUBMITTED, dict, OFFICE, {}),
    ("invite_to_stage2", State.SUBMITTED, dict, OFFICE, {"two_stage": True}),
    ("start_stage2", State.INVITED_STAGE2, dict, OFFICE_OR_LEAD, {"two_stage": True}),
    *[
        ("withdraw", state, lambda: {"reason": "Lost co-financing"}, OFFICE_OR_LEAD, {})
        for state in [
            State.IDEA,
            State.CONSULTATION,
            State.DRAFTING,
            State.IN_REVIEW,
            State.READY,
            State.SUBMITTED,
            State.RESERVE,
            State.INVITED_STAGE2,
        ]
    ],
    # System steps are never run by hand, not even by the office.
    ("start_review", State.DRAFTING, dict, set(), {}),
    ("end_review", State.IN_REVIEW, dict, set(), {}),
    ("expire", State.DRAFTING, dict, set(), {"past_deadline": True}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "source", "data", "allowed", "extra"), CASES, ids=[f"{c[0]}-from-{c[1]}" for c in CASES]
)
def test_transition_by_role(api_client, people, make_proposal, role, name, source, data, allowed, extra):
    two_stage = extra.get("two_stage", False)
    call = CallFactory(
        is_two_stage=two_stage, stage2_deadline=timezone.now() + timedelta(days=120) if two_stage else None
    )
    if extra.get("past_deadline"):
        call.deadline = timezone.now() - timedelta(hours=1)
        call.save()
    proposal = make_proposal(state=source, call=call)
    user = people[role]

    response = api_client(user).post(
        f"/api/v1/proposals/{proposal.pk}/transitions/{name}/", data(), format="json"
    )

    proposal.refresh_from_db()
    if role in allowed:
        assert response.status_code == 200, response.json()
        assert StateLog.objects.for_(proposal).filter(transition=name, by=user).count() == 1
        return
    expected = 401 if role == "anonymous" else 409 if role in VISIBLE else 404
    assert response.status_code == expected, response.json()
    assert proposal.state == source
    assert not StateLog.objects.for_(proposal).exists()
    if expected == 409:
        assert response.json()["reasons"], "a refusal says why"
