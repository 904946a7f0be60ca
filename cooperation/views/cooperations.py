"""The cooperation registry's page: agreements and network memberships for every signed-in member;
the office records new ones on the same page (the service decides the rules)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cooperation import permissions as can
from cooperation.models import Cooperation
from cooperation.selectors import agreements as selectors
from cooperation.services import agreements as services
from grants_office.core.pages import perform
from grants_office.members import selectors as member_selectors

PAGE_SIZE = 50


class CooperationFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("All")), *Cooperation.Kind.choices],
        required=False,
    )


class CooperationForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Cooperation.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    municipalities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Municipalities"), queryset=member_selectors.municipalities(), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Organisations"),
        queryset=member_selectors.organisations(),
        required=False,
        help_text=gettext_lazy("For a network membership: the network."),
    )
    union_wide = forms.BooleanField(label=gettext_lazy("The union itself is a party"), required=False)
    signed_on = forms.DateField(
        label=gettext_lazy("Signed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    scope = forms.CharField(
        label=gettext_lazy("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@login_required
@require_http_methods(["GET", "POST"])
def cooperations(request):
    if not can.takes_part(request.user):
        raise PermissionDenied
    office = can.records_cooperations(request.user)
    form, status = None, 200
    if office:
        form = CooperationForm(request.POST or None)
        if request.method == "POST":
            status = 400
            if form.is_valid():
                outcome = perform(form, services.record_cooperation, request.user, **form.cleaned_data)
                if outcome.ok:
                    messages.success(request, _("“%(title)s” is recorded.") % {"title": outcome.result.title})
                    return redirect(reverse("cooperation:cooperations"))
                status = outcome.status
    elif request.method == "POST":
        raise PermissionDenied
    filters = CooperationFilterForm(request.GET or None)
    rows = selectors.cooperations_visible_to(request.user)
    if filters.is_valid():
        rows = selectors.filter_cooperations(rows, kind=filters.cleaned_data["kind"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "form": form, "nav_active": "cooperations"}
    return render(request, "cooperation/cooperations.html", context, status=status)
