"""The privacy notice before anything else: a person who has not accepted its current version is asked
at sign-in (`ask_at_sign_in`, on user_logged_in), and until they accept, every page leads to it. The
check costs nothing on other requests: it is a key in the session, set at sign-in."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from privacy import selectors

PENDING = "privacy_notice_pending"  # the session's key: the version to accept before going on
# What stays reachable meanwhile: the notice, signing out, the language, static files, the API (scripts
# and the pages' own calls) and what is public anyway.
OPEN_PREFIXES = (
    "/privacy/notice/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/api/",
    "/verify/",
    "/healthz",
    "/readyz",
)


def ask_at_sign_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session") or request.path.startswith("/api/"):
        return  # a script's token sign-in: the pages ask, the API answers `accepted`
    pending = selectors.pending_notice(user)
    if pending is None:
        request.session.pop(PENDING, None)
    else:
        request.session[PENDING] = pending.version


class NoticeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(PENDING) and not request.path.startswith(OPEN_PREFIXES):
            wanted = request.get_full_path() if request.method == "GET" else "/"
            return redirect(f"{reverse('privacy:notice')}?{urlencode({'next': wanted})}")
        return self.get_response(request)
