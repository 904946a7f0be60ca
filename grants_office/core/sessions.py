"""A person's web sessions, found and ended: when their account is erased, or their second factor reset
(whoever held their phone may hold a session too)."""

from django.contrib.sessions.models import Session
from django.utils import timezone


def sessions_of(user) -> list[str]:
    """The keys of the person's live sessions (the database backend stores the user's key in the data)."""
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.append(session.session_key)
    return keys


def end_sessions_of(user) -> int:
    """Signs the person out of every browser; how many sessions there were."""
    return Session.objects.filter(session_key__in=sessions_of(user)).delete()[0]
