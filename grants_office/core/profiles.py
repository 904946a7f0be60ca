"""A person's own settings (language, time zone) from `members.UserProfile`.

Written so the pages work with or without that model (it came with the notifications work): for people
without a profile every answer here is None and the site's defaults apply (LANGUAGE_CODE, Europe/Istanbul).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist

_MISSING = object()


def profile_model():
    try:
        return apps.get_model("members", "UserProfile")
    except LookupError:
        return None


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def profile_of(user):
    """The user's profile or None; looked up once per user object (one query when the model exists)."""
    if not user or not user.is_authenticated:
        return None
    cached = user.__dict__.get("_web_profile", _MISSING)
    if cached is not _MISSING:
        return cached
    model = profile_model()
    profile = model.objects.filter(user=user).first() if model and _has_field(model, "user") else None
    user.__dict__["_web_profile"] = profile
    return profile


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


def remember_language(user, language: str) -> None:
    """Keep the chosen language on the profile too, so it follows the person to other browsers."""
    model = profile_model()
    if not (user and user.is_authenticated and model and _has_field(model, "language")):
        return
    if language in dict(settings.LANGUAGES):
        model.objects.update_or_create(user=user, defaults={"language": language})
        user.__dict__.pop("_web_profile", None)
