"""Writes to the member registry that a user can cause: a person's own settings. The CSV import of
municipalities is `grants_office.members.imports`."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from grants_office.calls.models import known_time_zones
from grants_office.core.errors import Invalid
from grants_office.members.models import UserProfile


def update_profile(user, *, language=None, time_zone=None):
    """Set the language and/or time zone of the person's pages, e-mails and notifications."""
    errors = {}
    if language is not None and language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the offered languages.")]
    if time_zone is not None and time_zone not in known_time_zones():
        errors["time_zone"] = [_("Choose a time zone from the list, such as Europe/Istanbul.")]
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)
    changes = {
        name: value for name, value in (("language", language), ("time_zone", time_zone)) if value is not None
    }
    profile, _created = UserProfile.objects.update_or_create(user=user, defaults=changes)
    return profile
