"""Office staff and admins work only in sessions that passed a second factor: one without it is led to
the code (if they have an app) or to setting one up, and the API refuses it (403
`second_factor_required`). Requests with an API token pass: a token is only issued after the second
factor (grants_office.identity.api). A verified session costs nothing here: a key in the session."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from grants_office.core.api import error_body
from grants_office.identity import flow, selectors
from grants_office.identity.permissions import must_use_second_factor

# Signing in and out, setting the second factor up, the language, and what is public anyway.
OPEN_PREFIXES = (
    "/accounts/",
    "/account/two-factor/",
    "/i18n/",
    "/static/",
    "/privacy/notice/",
    "/verify/",
    "/feeds/",
    "/healthz",
    "/readyz",
)


def _needs_second_factor(request) -> bool:
    session = getattr(request, "session", None)
    if session is None or flow.is_verified(request) or request.path.startswith(OPEN_PREFIXES):
        return False
    if request.path.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated and must_use_second_factor(user)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _needs_second_factor(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _(
                "Office accounts work with a second factor: sign in again with your code, or ask for an "
                "API token with it."
            )
            return JsonResponse(error_body("second_factor_required", message), status=403)
        wanted = request.get_full_path() if request.method == "GET" else "/"
        target = "second-factor" if selectors.has_second_factor(request.user) else "two-factor-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': wanted})}")
