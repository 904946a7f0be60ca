"""Signing in in two steps. The password (or the directory, for single sign-on) is the first; a person with
a second factor is not signed in until they give its code: until then their session holds only who they
are about to be, for TWO_FACTOR_PENDING_SECONDS. A signed-in session that passed the second factor carries
django-otp's device key, which the office's pages require (grants_office.identity.middleware)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect

from grants_office.identity import selectors

PENDING = "second_factor_pending"


@dataclass(frozen=True)
class Pending:
    user: object
    backend: str
    redirect_to: str


def finish_sign_in(request, user, *, backend: str, redirect_to: str) -> HttpResponse:
    """Signs `user` in, or first asks for their second factor; answers where they go next."""
    if selectors.has_second_factor(user):
        request.session[PENDING] = {
            "user": user.pk,
            "backend": backend,
            "at": time.time(),
            "next": redirect_to,
        }
        return redirect("second-factor")
    login(request, user, backend=backend)
    return HttpResponseRedirect(redirect_to)


def pending(request) -> Pending | None:
    """Who gave the right password and is to give the code now; None once too long ago."""
    data = request.session.get(PENDING)
    if (
        not isinstance(data, dict)
        or time.time() - float(data.get("at", 0)) > settings.TWO_FACTOR_PENDING_SECONDS
    ):
        return None
    user = get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None:
        return None
    return Pending(user=user, backend=data["backend"], redirect_to=data["next"])


def is_verified(request) -> bool:
    """Whether this session passed a second factor."""
    return bool(request.session.get(django_otp.DEVICE_ID_SESSION_KEY))


def complete(request, user, device, backend: str | None = None) -> None:
    """The code was right: sign the pending person in, or mark the current session as verified."""
    request.session.pop(PENDING, None)
    if request.user.is_authenticated and request.user.pk == user.pk:
        django_otp.login(request, device)
        return
    user.otp_device = device  # django-otp's user_logged_in receiver keeps it in the new session
    login(request, user, backend=backend)


def verified_now(request, device) -> None:
    """A session that set up its second factor has just proved it."""
    django_otp.login(request, device)
