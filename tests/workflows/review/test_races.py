"""Two people racing one assignment: one wins, the other gets 409 (row locks: PostgreSQL only)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_fsm_log.models import StateLog

from grants_office.core.errors import Conflict
from tests.concurrency import at_once
from workflows.review import services
from workflows.review.models import ReviewAssignment
from workflows.states import AssignmentState

DECLARATION = {"declaration": "No conflict.", "no_conflict": True}


def race(*runs):
    """Run each (assignment, user, name, data) at the same moment in its own thread; the outcomes, sorted."""

    def step(assignment, user, name, data):
        def run():
            try:
                services.transition_assignment(assignment, name, user, **data)
            except Conflict as error:
                return error.code
            return "ok"

        return run

    return sorted(at_once(*(step(*run) for run in runs)))


def logs(assignment):
    content_type = ContentType.objects.get_for_model(ReviewAssignment)
    return StateLog.objects.filter(content_type=content_type, object_id=assignment.pk).count()


@pytest.mark.django_db(transaction=True)
def test_two_accepts_of_the_same_assignment_one_wins_one_gets_409(assign, experts):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers")
    assignment = assign(experts["ayse"])
    outcomes = race(
        (assignment, experts["ayse"], "accept", DECLARATION),
        (assignment, experts["ayse"], "accept", DECLARATION),
    )
    assert outcomes == ["ok", "transition_not_allowed"]
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED
    assert logs(assignment) == 1


@pytest.mark.django_db(transaction=True)
def test_accept_racing_withdraw_one_wins_one_gets_409(assign, experts, people):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers")
    assignment = assign(experts["ayse"])
    outcomes = race(
        (assignment, experts["ayse"], "accept", DECLARATION),
        (assignment, people["office"], "withdraw", {}),
    )
    assignment.refresh_from_db()
    # Withdrawal is legal from invited and from accepted, so it always wins; the accept either ran first
    # (both succeed, logged in that order) or found the assignment withdrawn (409). Never accepted last.
    assert assignment.state == AssignmentState.WITHDRAWN
    content_type = ContentType.objects.get_for_model(ReviewAssignment)
    steps = list(
        StateLog.objects.filter(content_type=content_type, object_id=assignment.pk)
        .order_by("id")
        .values_list("transition", flat=True)
    )
    if outcomes == ["ok", "ok"]:
        assert steps == ["accept", "withdraw"]
    else:
        assert outcomes == ["ok", "transition_not_allowed"]
        assert steps == ["withdraw"]
