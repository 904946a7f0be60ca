"""People as every app sees them: whether someone is signed in, and how they are named on pages, in
e-mails and in the API. One rule each, everywhere."""

from django.contrib.auth import get_user_model
from django.db.models import Q


def signed_in(user) -> bool:
    """A signed-in, active account: the first question of every permission predicate."""
    return bool(user and user.is_authenticated and user.is_active)


def display_name(user) -> str:
    """The full name, else the user name; empty for nobody (the system)."""
    if user is None:
        return ""
    return name_of(user.first_name, user.last_name, user.get_username())


def name_of(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """The full name, else the user name, from a person's columns (also for rows read without the user,
    such as grouped queries)."""
    return f"{first_name or ''} {last_name or ''}".strip() or (username or "")


def person_named(who: str):
    """The one account a command-line operator means by a user name, e-mail or id; None if none or several."""
    match = Q(username__iexact=who) | Q(email__iexact=who)
    if who.isdigit():
        match |= Q(pk=int(who))
    found = list(get_user_model().objects.filter(match)[:2])
    return found[0] if len(found) == 1 else None
