"""Who may do what with a notification: the one place that says it. Who of many people may be told of
an event asks the database about all of them at once, so it is a selector (`selectors.who_may_be_told`)."""


def owns(user, notification) -> bool:
    """The signed-in person the notification was written for. Not `people.signed_in`: it never asked
    for an active account (an inactive one cannot sign in, so no page or token reaches this with one)."""
    return bool(user and user.is_authenticated and notification.recipient_id == user.pk)
