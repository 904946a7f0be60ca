"""The frame of the web pages: home (sends each person to their own start page), sign-in, language,
the person's own settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from grants_office.calls.models import known_time_zones
from grants_office.core import profiles, security, tokens
from grants_office.core.errors import Invalid
from grants_office.members import services as member_services
from grants_office.members.permissions import is_office_staff

# The zones offered first: the union's own and its partners' (Bulgaria, Greece) and Brussels.
NEAR_ZONES = ["Europe/Istanbul", "Europe/Sofia", "Europe/Athens", "Europe/Brussels"]


@login_required
def home(request):
    """The office starts on the pipeline board, everyone else on their own proposals."""
    return redirect("workflows:board" if is_office_staff(request.user) else "workflows:mine")


@require_POST
def set_language(request):
    """Django's language switch (session cookie) that also keeps the choice on the person's profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES) and request.user.is_authenticated:
        # kept on the profile too, so it follows the person to other browsers and to their e-mails
        member_services.update_profile(request.user, language=language)
        profiles.forget(request.user)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """The person's language and time zone: pages, e-mails and notifications follow them."""
    profile = profiles.profile_of(request.user)
    values = {
        "language": getattr(profile, "language", None) or settings.LANGUAGE_CODE,
        "time_zone": getattr(profile, "time_zone", None) or settings.TIME_ZONE,
    }
    errors, status = {}, 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in ("language", "time_zone")}
        try:
            member_services.update_profile(request.user, **values)
        except Invalid as error:
            errors, status = error.fields, 400
        else:
            profiles.forget(request.user)
            response = redirect("account")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, values["language"], samesite="Lax")
            with translation.override(values["language"]):  # the next page speaks the new language
                messages.success(request, _("Your settings are saved."))
            return response
    zones = sorted(zone for zone in known_time_zones() if "/" in zone and not zone.startswith("Etc/"))
    context = {
        "values": values,
        "errors": errors,
        "languages": settings.LANGUAGES,
        "near_zones": NEAR_ZONES,
        "zones": [zone for zone in zones if zone not in NEAR_ZONES],
        "nav_active": "account",
    }
    return render(request, "core/account.html", context, status=status)


@login_required
@require_POST
def revoke_api_tokens(request):
    """Signs every app and script that holds an API token of this person out (the web session stays)."""
    count = tokens.revoke_all(request.user)
    if count:
        message = ngettext("%(count)d API token was revoked.", "%(count)d API tokens were revoked.", count)
        messages.success(request, message % {"count": count})
    else:
        messages.success(request, _("You had no API tokens."))
    return redirect("account")


class LoginView(auth_views.LoginView):
    """Django's sign-in page. django-axes (its backend and middleware, grants_office.core.security) locks it
    after AXES_FAILURE_LIMIT failures per user name and per address and shows the reason here."""

    template_name = "core/auth/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, sending at most PASSWORD_RESET_LIMIT_PER_HOUR mails to one address and
    PASSWORD_RESET_LIMIT_PER_CLIENT_PER_HOUR from one client address an hour. Over a limit nothing is sent
    and the person sees the same "sent" page: the page never tells whether an account exists."""

    def form_valid(self, form):
        if security.reset_mail_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


AUTH_TEMPLATES = {
    "password_reset": {
        "template_name": "core/auth/password_reset_form.html",
        "email_template_name": "core/auth/password_reset_email.txt",
        "subject_template_name": "core/auth/password_reset_subject.txt",
    },
    "password_reset_done": {"template_name": "core/auth/password_reset_done.html"},
    "password_reset_confirm": {"template_name": "core/auth/password_reset_confirm.html"},
    "password_reset_complete": {"template_name": "core/auth/password_reset_complete.html"},
}
