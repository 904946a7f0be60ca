"""Who may be told about what, and who may read a notification: the one place that says it."""

from workflows.permissions import viewers_among, viewers_among_many


def who_may_be_told(users, proposal) -> list:
    """Nobody hears about a proposal they cannot see; inactive people hear nothing (a few queries for
    any number of people)."""
    if proposal is None or proposal.deleted_at is not None:
        return []
    allowed = viewers_among(proposal, users)
    return [user for user in users if user.pk in allowed]


def who_may_be_told_many(pairs) -> list[list]:
    """`who_may_be_told` for many (proposal, users) pairs at once, in the same few queries."""
    live = [
        (proposal, users if proposal is not None and proposal.deleted_at is None else [])
        for proposal, users in pairs
    ]
    allowed = viewers_among_many([(proposal, users) for proposal, users in live if users])
    answers, found = [], iter(allowed)
    for _proposal, users in live:
        if not users:
            answers.append([])
            continue
        ids = next(found)
        answers.append([user for user in users if user.pk in ids])
    return answers


def owns(user, notification) -> bool:
    return bool(user and user.is_authenticated and notification.recipient_id == user.pk)
