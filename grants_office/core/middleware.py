"""Middleware of the web pages: the Content-Security-Policy header, each person's language and time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation

from grants_office.core import profiles


def csp_header_value(policy: dict[str, list[str]] | str) -> str:
    if isinstance(policy, str):
        return policy
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Every response says where scripts, styles and connections may come from: our own origin only.

    No inline script runs (the pages keep their JavaScript in static files); a view that needs another
    policy sets the header itself and this one leaves it alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        policy = settings.CONTENT_SECURITY_POLICY
        self.value = csp_header_value(policy)
        # Third-party pages we serve but do not write (the API docs' Swagger UI sets inline styles):
        # path prefix -> directives that replace the policy's own for those pages only.
        self.exceptions = [
            (prefix, csp_header_value({**policy, **changes}))
            for prefix, changes in getattr(settings, "CONTENT_SECURITY_POLICY_EXCEPTIONS", {}).items()
        ]

    def __call__(self, request):
        response = self.get_response(request)
        if self.value and "Content-Security-Policy" not in response:
            value = next((v for prefix, v in self.exceptions if request.path.startswith(prefix)), self.value)
            response["Content-Security-Policy"] = value
        return response


class UserPreferencesMiddleware:
    """The signed-in person's time zone (their profile's, else Europe/Istanbul) and, unless they chose
    one in this browser, their profile's language. Comes after AuthenticationMiddleware and LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.default_zone = ZoneInfo(settings.TIME_ZONE)

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = bool(user and user.is_authenticated)
        timezone.activate((signed_in and profiles.time_zone_of(user)) or self.default_zone)
        if signed_in and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = profiles.language_of(user)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
