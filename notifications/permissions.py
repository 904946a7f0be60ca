"""Who may be told about what, and who may read a notification: the one place that says it."""

from workflows.permissions import viewers_among_many


def who_may_be_told(pairs) -> list[list]:
    """For each (proposal, users) pair, those of the people who may hear about the proposal: nobody
    hears about a proposal they cannot see or that was deleted; inactive people hear nothing. Three
    queries for any number of pairs."""
    pairs = [
        (proposal, users if proposal is not None and proposal.deleted_at is None else [])
        for proposal, users in pairs
    ]
    allowed = viewers_among_many(pairs)
    return [
        [user for user in users if user.pk in ids] for (_, users), ids in zip(pairs, allowed, strict=True)
    ]


def owns(user, notification) -> bool:
    return bool(user and user.is_authenticated and notification.recipient_id == user.pk)
