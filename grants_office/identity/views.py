"""Signing in (the password, then the second factor) and a person's own two-factor settings."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from grants_office.core.pages import perform
from grants_office.identity import flow, selectors, services
from grants_office.identity.forms import APP_ONLY, APP_OR_RECOVERY, CodeForm
from grants_office.identity.permissions import may_reset_second_factor


class LoginView(auth_views.LoginView):
    """Django's sign-in page. django-axes (its backend and middleware, grants_office.core.security) locks it
    after AXES_FAILURE_LIMIT failures per user name and per address and shows the reason here. A person
    with a second factor is signed in only after its code (`second_factor`)."""

    template_name = "core/auth/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        return flow.finish_sign_in(
            self.request, user, backend=user.backend, redirect_to=self.get_success_url()
        )


def _next(request, default: str = "/") -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure())
    return wanted if wanted and allowed else default


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request):
    """The code after the password, or for a signed-in office session that has not given one."""
    waiting = flow.pending(request)
    if waiting is not None:
        user, backend, then = waiting.user, waiting.backend, waiting.redirect_to
    elif request.user.is_authenticated and selectors.has_second_factor(request.user):
        if flow.is_verified(request):
            return redirect(_next(request))
        user, backend, then = request.user, None, _next(request)
    else:
        messages.info(request, gettext("Sign in again: the time to give the code has passed."))
        return redirect("login")
    form = CodeForm(request.POST or None, help_text=APP_OR_RECOVERY)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = perform(form, services.verify_code, user, form.cleaned_data["code"])
        if outcome.ok:
            flow.complete(request, user, outcome.result, backend=backend)
            if isinstance(outcome.result, StaticDevice):
                left = selectors.recovery_codes_left(user)
                messages.warning(
                    request,
                    gettext("You used a recovery code; %(left)d are left. Make new ones in your settings.")
                    % {"left": left},
                )
            return redirect(then)
        status = outcome.status
    elif request.method == "POST":
        status = 400
    return render(request, "identity/second_factor.html", {"form": form, "next": then}, status=status)


def _settings(request, **overrides) -> dict:
    return {
        "second_factor": selectors.second_factor_of(request.user),
        "codes_form": CodeForm(help_text=APP_ONLY, prefix="codes"),
        "off_form": CodeForm(help_text=APP_OR_RECOVERY, prefix="off"),
        "nav_active": "account",
        **overrides,
    }


@login_required
@never_cache
def two_factor(request):
    """Whether the person signs in with a second factor, and what they can change."""
    return render(request, "identity/two_factor.html", _settings(request))


def _codes_page(request, codes: list[str], then: str):
    response = render(request, "identity/recovery_codes.html", {"codes": codes, "next": then})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def setup(request):
    """The key as a QR code and as text, and the app's first code to confirm it."""
    device = services.start_authenticator(request.user)
    form = CodeForm(request.POST or None, help_text=APP_ONLY)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = perform(form, services.confirm_authenticator, request.user, form.cleaned_data["code"])
        if outcome.ok:
            flow.verified_now(request, selectors.authenticator_of(request.user))
            return _codes_page(request, outcome.result, _next(request, default="/account/two-factor/"))
        status = outcome.status
    elif request.method == "POST":
        status = 400
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "second_factor": selectors.second_factor_of(request.user),
        "next": _next(request, default=""),
        "nav_active": "account",
    }
    return render(request, "identity/setup.html", context, status=status)


def _code_action(request, prefix: str, action):
    """`action(user, code)` for the settings page's form `prefix`: its outcome, or the page again with the
    form's errors (400) or the refusal (409)."""
    form = CodeForm(request.POST, prefix=prefix)
    outcome = perform(form, action, request.user, form.cleaned_data["code"]) if form.is_valid() else None
    if outcome is not None and outcome.ok:
        return outcome, None
    refusal = outcome.problem if outcome is not None and outcome.status == 409 else None
    context = _settings(request, problem=refusal, **{f"{prefix}_form": form})
    return None, render(request, "identity/two_factor.html", context, status=409 if refusal else 400)


@login_required
@require_POST
def renew_recovery_codes(request):
    outcome, page = _code_action(request, "codes", services.renew_recovery_codes)
    return page or _codes_page(request, outcome.result, "/account/two-factor/")


@login_required
@require_POST
def turn_off(request):
    _outcome, page = _code_action(request, "off", services.turn_off)
    if page is not None:
        return page
    messages.success(request, gettext("Two-factor sign-in is off: you sign in with your password."))
    return redirect("two-factor")


@login_required
@require_POST
def reset(request, pk):
    """An office admin resets another person's second factor, from that person's page."""
    person = selectors.account(pk)
    if not may_reset_second_factor(request.user, person):
        raise PermissionDenied
    outcome = perform(
        None, services.reset_second_factor, request.user, person, request.POST.get("reason", "")
    )
    if outcome.ok:
        messages.success(
            request,
            gettext(
                "Their second factor is reset and they are signed out everywhere: they set up a new app."
            ),
        )
    else:
        messages.error(request, outcome.problem.message)
    return redirect("privacy:person", pk=person.pk)
