"""A call's eligibility page: its rules in words, the members that may lead it and, for the office,
which of them have no proposal yet (the list to phone). The same selector as the API's list."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cooperation import permissions
from cooperation.selectors import eligibility as selectors
from grants_office.members.eligibility import lead_rules, partner_rules, rules_of

PAGE_SIZE = 50


class EligibleFilterForm(forms.Form):
    without_proposal = forms.BooleanField(
        label=_("Only members without a proposal on this call"), required=False
    )


@login_required
@require_GET
def call_eligibility(request, pk):
    """Any signed-in person reads the rules and the list; only the office marks or filters who has a
    proposal (the filter asked by anyone else is 403, as the office's other pages)."""
    call = selectors.call_for_eligibility(pk)
    office = permissions.sees_proposals_on_call(request.user, call)
    form = EligibleFilterForm(request.GET or None)
    without = form.is_valid() and form.cleaned_data["without_proposal"]
    if without and not office:
        raise PermissionDenied
    members = selectors.eligible_members(call, with_proposals=office, without_proposal=without)
    rules = rules_of(call)
    context = {
        "call": call,
        "lead_rules": lead_rules(rules),
        "partner_rules": partner_rules(rules),
        "page": Paginator(members, PAGE_SIZE).get_page(request.GET.get("page")),
        "form": form,
        "is_office": office,
        "nav_active": "calls",
    }
    return render(request, "cooperation/call_eligibility.html", context)
