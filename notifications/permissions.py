"""Who may be told about what, and who may read a notification: the one place that says it."""

from workflows.permissions import viewers_among


def who_may_be_told(users, proposal) -> list:
    """Nobody hears about a proposal they cannot see; inactive people hear nothing (a few queries for
    any number of people)."""
    if proposal is None or proposal.deleted_at is not None:
        return []
    allowed = viewers_among(proposal, users)
    return [user for user in users if user.pk in allowed]


def owns(user, notification) -> bool:
    return bool(user and user.is_authenticated and notification.recipient_id == user.pk)
