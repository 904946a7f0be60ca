"""Who may be told about what, and who may read a notification: the one place that says it."""

from workflows.access import viewers_among_many
from workflows.review.permissions import is_live_reviewer


def who_may_be_told(events, wanted) -> list[list]:
    """For each event, those of its wanted people who may hear of it: nobody hears about a proposal
    they cannot see or that was deleted; inactive people hear nothing. A reviewer hears about their
    own assignment while it is live, before accepting too (they see its conflict-check brief then).
    Four queries for any number of events."""
    answers: list[list | None] = []
    by_proposal = []  # the events that access to their proposal decides
    for event, users in zip(events, wanted, strict=True):
        if event.proposal is None or event.proposal.deleted_at is not None:
            answers.append([])
        elif event.assignment is not None:
            answers.append([u for u in users if is_live_reviewer(u, event.assignment)])
        else:
            answers.append(None)
            by_proposal.append((event.proposal, users))
    allowed = iter(zip(by_proposal, viewers_among_many(by_proposal), strict=True))
    for index, answer in enumerate(answers):
        if answer is None:
            (_, users), ids = next(allowed)
            answers[index] = [user for user in users if user.pk in ids]
    return answers


def owns(user, notification) -> bool:
    return bool(user and user.is_authenticated and notification.recipient_id == user.pk)
