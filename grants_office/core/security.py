"""Who is asking, and how often they may try: the client address, sign-in lockouts, reset-mail limits and
the gate in front of the API docs.

Every counter keys on one answer to "which address is this request from" (`client_ip`): the token
endpoint's throttle, django-axes' lockouts and the password-reset limits. The counters live in the
shared cache (Redis, or the database in the embedded default) or the database, so two web processes
count one attacker once.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
from functools import wraps

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings

from grants_office.core.api import error_body

logger = logging.getLogger(__name__)


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address the request comes from: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT=n proxies in front the
    n-th address from the right of X-Forwarded-For. Each proxy appends the address it was reached from, so
    the n rightmost entries are written by our own proxies and anything left of them by the client: those
    are never read. A malformed entry counts as REMOTE_ADDR (it was not written by our proxy)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request came in behind the outer ones; the leftmost was written by
    # the first of ours that it reached.
    return _address(forwarded[-min(count, len(forwarded))]) or remote


class ClientAddressThrottleMixin:
    """A DRF throttle that counts per `client_ip` (DRF's own get_ident would read NUM_PROXIES) and reads
    its rate from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] at request time."""

    def get_ident(self, request) -> str:
        return client_ip(request)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


# --- sign-in lockouts (django-axes) -----------------------------------------------------------------


class SignInAttempts(AxesDatabaseHandler):
    """django-axes' database handler (attempts are rows: shared by every process, listed and deleted in
    the admin), with two changes."""

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in forgives the failures against that account, from any address, and nothing
        else. Axes would also forgive every failure from the address, so an attacker who holds one account
        could sign in to it between guesses at another and never reach the limit."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count

    def user_logged_in(self, sender, request, user, **kwargs):
        """A token sign-in has no session; axes would create one (a row and a cookie per token) only to
        put its hash in the access log."""
        session = getattr(request, "session", None)
        if session is None or session.session_key is not None:
            return super().user_logged_in(sender, request, user, **kwargs)
        del request.session
        try:
            return super().user_logged_in(sender, request, user, **kwargs)
        finally:
            request.session = session


def lockout_seconds(request) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


def lockout_message(seconds: int) -> str:
    if not seconds:
        return _("Too many failed sign-in attempts. Ask the office to unlock your account.")
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute, or ask the office to unlock "
        "your account.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes, or ask the office to unlock "
        "your account.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out sign-in answers (AXES_LOCKOUT_CALLABLE), even with the right password: 429 with
    Retry-After; the API our error body `{"code": "locked_out", "detail"}`, the web the sign-in page with
    the reason. Every further failure during the lockout starts the cool-off again."""
    seconds = lockout_seconds(request)
    message = lockout_message(seconds)
    if request.path_info.startswith("/api/"):
        response = JsonResponse(error_body("locked_out", message), status=429)
    else:
        username = (credentials or {}).get("username") or request.POST.get("username", "")
        context = {
            "form": AuthenticationForm(request, initial={"username": username}),
            "next": request.POST.get("next", ""),
            "locked_out": message,
        }
        response = render(request, "core/auth/login.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


# --- password-reset mails ---------------------------------------------------------------------------


def within_limit(key: str, limit: int, seconds: int = 3600) -> bool:
    """Count one more request under `key` in the shared cache; False once more than `limit` came within
    the window, which starts at the first of them."""
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= limit


def _within_hourly_limit(key: str, limit: int) -> bool:
    return within_limit(key, limit, 3600)


def reset_mail_allowed(request, email: str) -> bool:
    """Whether a password-reset mail may go to `email` now: at most PASSWORD_RESET_LIMIT_PER_HOUR to one
    address and PASSWORD_RESET_LIMIT_PER_CLIENT_PER_HOUR asked from one client address an hour. Every
    request counts, for accounts that exist or not, so the limit itself tells nothing either."""
    recipient = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    address = client_ip(request)
    per_recipient = _within_hourly_limit(
        f"password-reset:recipient:{recipient}", settings.PASSWORD_RESET_LIMIT_PER_HOUR
    )
    per_client = _within_hourly_limit(
        f"password-reset:client:{address}", settings.PASSWORD_RESET_LIMIT_PER_CLIENT_PER_HOUR
    )
    if not (per_recipient and per_client):
        logger.warning(
            "Password-reset mail not sent: hourly limit reached (%s) for client %s",
            "recipient" if not per_recipient else "client",
            address,
        )
        return False
    return True


# --- the API docs -------------------------------------------------------------------------------------


class ApiDocsAccess(BasePermission):
    """The OpenAPI schema: anyone in DEBUG or with API_DOCS_PUBLIC, else signed-in people (a session or a
    token)."""

    def has_permission(self, request, view) -> bool:
        return settings.API_DOCS_PUBLIC or bool(request.user and request.user.is_authenticated)


def signed_in_unless_docs_public(view):
    """The docs UI (a page for browsers): anonymous people are sent to sign in, unless the docs are public."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        if settings.API_DOCS_PUBLIC or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path())

    return gated
