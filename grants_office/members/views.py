"""Web pages of the member registry: municipalities and partner organisations."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from grants_office.members import selectors
from grants_office.members.models import Municipality, Organisation
from grants_office.members.permissions import can_view_registry
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
