"""Each signed-in person's language and time zone on every page (their `UserProfile`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation

from grants_office.core.people import signed_in
from grants_office.members import profiles


class UserPreferencesMiddleware:
    """The signed-in person's time zone (their profile's, else Europe/Istanbul) and, unless they chose
    one in this browser, their profile's language. Comes after AuthenticationMiddleware and LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.default_zone = ZoneInfo(settings.TIME_ZONE)

    def __call__(self, request):
        user = getattr(request, "user", None)
        known = signed_in(user)
        timezone.activate((known and profiles.time_zone_of(user)) or self.default_zone)
        if known and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = profiles.language_of(user)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
