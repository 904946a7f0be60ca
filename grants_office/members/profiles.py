"""A person's own settings (language, time zone) as the pages read them, from `members.UserProfile`.

People without a profile get None here and the site's defaults apply (LANGUAGE_CODE, Europe/Istanbul).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from grants_office.members.models import UserProfile

_MISSING = object()


def profile_of(user) -> UserProfile | None:
    """The user's profile or None; looked up once per user object (one query)."""
    if not user or not user.is_authenticated:
        return None
    cached = user.__dict__.get("_web_profile", _MISSING)
    if cached is _MISSING:
        cached = UserProfile.objects.filter(user=user).first()
        user.__dict__["_web_profile"] = cached
    return cached


def forget(user) -> None:
    user.__dict__.pop("_web_profile", None)


def language_of(user) -> str | None:
    language = getattr(profile_of(user), "language", None)
    return language if language in dict(settings.LANGUAGES) else None


def time_zone_of(user) -> ZoneInfo | None:
    name = getattr(profile_of(user), "time_zone", None)
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
