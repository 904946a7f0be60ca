"""Web pages of the member registry (municipalities and partner organisations) and each person's own:
home (their start page), the language switch, their settings."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from grants_office.calls.models import known_time_zones
from grants_office.core import tokens
from grants_office.core.pages import perform
from grants_office.members import profiles, selectors, services
from grants_office.members.models import Municipality, Organisation
from grants_office.members.permissions import can_view_registry, is_office_staff
from grants_office.members.provinces import PROVINCE_CHOICES

PAGE_SIZE = 50


def _blank(choices):
    return [("", _("All")), *choices]


class MunicipalityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    province = forms.ChoiceField(label=_("Province"), choices=_blank(PROVINCE_CHOICES), required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=_blank(Municipality.Kind.choices), required=False)
    membership_status = forms.ChoiceField(
        label=_("Membership"), choices=_blank(Municipality.Membership.choices), required=False
    )


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(Organisation.Kind.choices), required=False)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _registry(request):
    if not can_view_registry(request.user):
        raise PermissionDenied


@login_required
@require_GET
def municipalities(request):
    _registry(request)
    filters = MunicipalityFilterForm(request.GET or None)
    rows = selectors.municipalities().order_by("name", "id")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            rows = rows.filter(Q(name__icontains=data["q"]) | Q(district__icontains=data["q"]))
        for name in ("province", "kind", "membership_status"):
            if data[name]:
                rows = rows.filter(**{name: data[name]})
    return render(
        request,
        "members/municipalities.html",
        {"page": _page(request, rows), "filters": filters, "nav_active": "registry", "tab": "municipalities"},
    )


@login_required
@require_GET
def organisations(request):
    _registry(request)
    filters = OrganisationFilterForm(request.GET or None)
    rows = selectors.organisations().order_by("name", "id")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            rows = rows.filter(Q(name__icontains=data["q"]) | Q(city__icontains=data["q"]))
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["country"]:
            rows = rows.filter(country__iexact=data["country"])
    return render(
        request,
        "members/organisations.html",
        {"page": _page(request, rows), "filters": filters, "nav_active": "registry", "tab": "organisations"},
    )


# --- the person's own pages -------------------------------------------------------------------------
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
        services.update_profile(request.user, language=language)
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
        outcome = perform(None, services.update_profile, request.user, **values)
        if outcome.ok:
            profiles.forget(request.user)
            response = redirect("account")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, values["language"], samesite="Lax")
            with translation.override(values["language"]):  # the next page speaks the new language
                messages.success(request, gettext("Your settings are saved."))
            return response
        errors, status = outcome.problem.fields, outcome.status
    zones = sorted(zone for zone in known_time_zones() if "/" in zone and not zone.startswith("Etc/"))
    context = {
        "values": values,
        "errors": errors,
        "languages": settings.LANGUAGES,
        "near_zones": NEAR_ZONES,
        "zones": [zone for zone in zones if zone not in NEAR_ZONES],
        "nav_active": "account",
    }
    return render(request, "members/account.html", context, status=status)


@login_required
@require_POST
def revoke_api_tokens(request):
    """Signs every app and script that holds an API token of this person out (the web session stays)."""
    count = tokens.revoke_all(request.user)
    if count:
        message = ngettext("%(count)d API token was revoked.", "%(count)d API tokens were revoked.", count)
        messages.success(request, message % {"count": count})
    else:
        messages.success(request, gettext("You had no API tokens."))
    return redirect("account")
