"""Review and discussion notifications, end to end through the real services and their signals."""

import pytest
from django.core import mail

from notifications import kinds
from notifications.models import Notification
from tests import factories
from tests.factories import review as review_factories
from workflows.discussion import services as discussion
from workflows.models import Proposal
from workflows.review import services as review
from workflows.states import State

pytestmark = pytest.mark.django_db


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def reviewing(world, django_capture_on_commit_callbacks):
    """A round on the world's proposal, moved to drafting,, against the office's default rubric."""
    rubric = factories.RubricFactory(is_office_default=True)
    Proposal.objects.filter(pk=world["proposal"].pk).update(state=State.DRAFTING)
    proposal = Proposal.objects.get(pk=world["proposal"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        review_round = review.open_round(proposal, world["coordinator"])
    Notification.objects.all().delete()  # the move to in_review is another test's business
    mail.outbox.clear()
    return {**world, "round": review_round, "rubric": rubric}


def test_a_review_from_invitation_to_all_in(reviewing, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    reviewer = review_factories.expert(user__username="reviewer", user__email="reviewer@example.org")
    with capture(execute=True):
        assignment = review.assign_reviewer(reviewing["round"], reviewing["coordinator"], reviewer=reviewer)
    assert told(kinds.REVIEW_ASSIGNED) == ["reviewer"]
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]

    with capture(execute=True):
        review_factories.accepted(assignment)
    assert told(kinds.ASSIGNMENT_ACCEPTED) == ["coordinator"]

    scores = {c.code: c.scale_max for c in reviewing["round"].criteria.all()}
    with capture(execute=True):
        review_factories.submitted(assignment.__class__.objects.get(pk=assignment.pk), scores)
    # one notice per happening: the submit is not told twice (assignment moved + review submitted)
    assert told(kinds.REVIEW_SUBMITTED) == ["coordinator"]
    assert told(kinds.ALL_REVIEWS_IN) == ["coordinator"]
    # the team hears nothing of reviewers before the round closes
    assert not Notification.objects.filter(recipient__username__in=["lead", "teammate", "partner"]).exists()


def test_a_declined_invitation_tells_the_coordinator_with_the_reason(
    reviewing, django_capture_on_commit_callbacks
):
    reviewer = review_factories.expert(user__username="reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        assignment = review.assign_reviewer(reviewing["round"], reviewing["coordinator"], reviewer=reviewer)
        review.transition_assignment(assignment, "decline", reviewer, comment="Away in March")
    [row] = Notification.objects.filter(kind=kinds.ASSIGNMENT_DECLINED)
    assert row.recipient == reviewing["coordinator"]
    assert "Away in March" in row.body


def test_a_shared_comment_with_mentions_tells_each_person_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        discussion.post_comment(
            world["proposal"],
            world["teammate"],
            body="Please check the budget, @lead and @other_team.",
            visibility="shared",
        )
    # other_team cannot see the proposal: neither mentioned nor told; the author hears nothing
    assert told(kinds.MENTION) == ["lead"]
    assert told(kinds.COMMENT_SHARED) == ["coordinator", "partner"]
    assert Notification.objects.filter(recipient=world["lead"]).count() == 1


def test_an_internal_comment_reaches_only_those_mentioned(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        discussion.post_comment(
            world["proposal"],
            world["coordinator"],
            body="@office2 can you take this one?",
            visibility="internal",
        )
    assert told(kinds.COMMENT_SHARED) == []
    assert told(kinds.MENTION) == ["office2"]


# --- review reminders from the scan -----------------------------------------------------------------
def _assigned(reviewing, username="reviewer"):
    reviewer = review_factories.expert(user__username=username)
    return review.assign_reviewer(reviewing["round"], reviewing["coordinator"], reviewer=reviewer)


def test_the_reviewer_is_reminded_three_days_and_one_day_before(reviewing):
    from datetime import timedelta

    from notifications import services

    assignment = _assigned(reviewing)
    due = assignment.due_at
    Notification.objects.all().delete()
    moment = due - timedelta(days=10)
    while moment < due + timedelta(hours=1):
        services.scan_reminders(moment)
        services.scan_reminders(moment)
        moment += timedelta(hours=6)
    rows = Notification.objects.filter(kind=kinds.REVIEW_DUE).order_by("created_at")
    assert [(r.recipient.username, r.occasion.rsplit(" ", 1)[1]) for r in rows] == [
        ("reviewer", "-3d"),
        ("reviewer", "-1d"),
    ]
    # past the due date, the coordinator hears once that it is overdue
    assert told(kinds.REVIEW_OVERDUE) == ["coordinator"]


def test_no_overdue_notice_for_a_submitted_review_or_a_closed_round(reviewing):
    from datetime import timedelta

    from notifications import services

    done = _assigned(reviewing, "done")
    review_factories.submitted(done, {c.code: c.scale_max for c in reviewing["round"].criteria.all()})
    waiting = _assigned(reviewing, "waiting")
    Notification.objects.all().delete()
    later = waiting.due_at + timedelta(days=1)
    assert services.scan_reminders(later) == 1
    assert services.scan_reminders(later + timedelta(minutes=15)) == 0
    [row] = Notification.objects.filter(kind=kinds.REVIEW_OVERDUE)
    assert row.object_id == waiting.pk and row.recipient == reviewing["coordinator"]

    review.transition_assignment(waiting, "withdraw", reviewing["coordinator"], comment="Too late")
    Notification.objects.all().delete()
    assert services.scan_reminders(later + timedelta(days=1)) == 0
