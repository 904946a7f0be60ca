"""Partner request pages: the open requests, a new request, and one request with its answers.

Thin: reads through `cooperation.selectors.requests`, writes through `cooperation.services.requests`
run by `core.pages.perform` (400 with the form's errors, 409 with the reasons, 404 for what the person
may not see, from the middleware)."""

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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cooperation import permissions as can
from cooperation.models import PartnerRequest
from cooperation.selectors import requests as selectors
from cooperation.services import requests as services
from grants_office.calls.models import Call, Theme
from grants_office.core.fields import CodeListField
from grants_office.core.pages import perform
from grants_office.members import selectors as member_selectors
from grants_office.members.models import Municipality, Organisation
from grants_office.members.permissions import is_office_staff
from workflows.models import ProposalPartner

PAGE_SIZE = 25


def _blank(choices):
    return [("", gettext_lazy("All")), *choices]


class RequestFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"), choices=_blank(PartnerRequest.State.choices), required=False
    )
    call = forms.ModelChoiceField(label=gettext_lazy("Call"), queryset=Call.objects.all(), required=False)
    country = forms.RegexField(
        label=gettext_lazy("Country"), regex=r"^[A-Za-z]{2}$", required=False, max_length=2
    )
    theme = forms.ModelChoiceField(label=gettext_lazy("Theme"), queryset=Theme.objects.all(), required=False)


class RequestForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"), queryset=Municipality.objects.none()
    )
    proposal = forms.ModelChoiceField(
        label=gettext_lazy("For the proposal"), queryset=Municipality.objects.none(), required=False
    )
    call = forms.ModelChoiceField(
        label=gettext_lazy("Or for the call"),
        queryset=Call.objects.all(),
        required=False,
        help_text=gettext_lazy("A request for a proposal is for its call."),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What the partner would do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    role_wanted = forms.ChoiceField(
        label=gettext_lazy("Role wanted"),
        choices=ProposalPartner.Role.choices,
        initial=ProposalPartner.Role.PARTNER,
    )
    countries = CodeListField(
        label=gettext_lazy("Countries"),
        required=False,
        help_text=gettext_lazy("Two-letter codes separated by commas, e.g. BG, RO; empty: any."),
    )
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Kinds of organisation"),
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    answer_by = forms.DateField(
        label=gettext_lazy("Answer by"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        office = is_office_staff(user)
        self.fields["municipality"].queryset = (
            member_selectors.municipalities()
            if office
            else member_selectors.municipalities_led_by_teams_of(user)
        ).order_by("name")
        self.fields["proposal"].queryset = selectors.proposals_for_request(user).select_related(None)

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class RespondForm(forms.Form):
    party = forms.ChoiceField(label=gettext_lazy("On behalf of"))
    message = forms.CharField(
        label=gettext_lazy("Why you would like to take part"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(_party_key(party), str(party)) for party in parties]
        self.parties = {_party_key(party): party for party in parties}

    def service_arguments(self) -> dict:
        party = self.parties[self.cleaned_data["party"]]
        kind = "municipality" if isinstance(party, Municipality) else "organisation"
        return {kind: party, "message": self.cleaned_data["message"]}


def _party_key(party) -> str:
    return f"{'m' if isinstance(party, Municipality) else 'o'}{party.pk}"


def _ensure_takes_part(user) -> None:
    if not can.takes_part(user):
        raise PermissionDenied


@login_required
@require_GET
def request_list(request):
    _ensure_takes_part(request.user)
    filters = RequestFilterForm(request.GET or None)
    rows = selectors.requests_visible_to(request.user)
    if filters.is_valid():
        rows = selectors.filter_requests(rows, **filters.cleaned_data)
    elif not request.GET:
        rows = rows.filter(state=PartnerRequest.State.OPEN)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/requests.html",
        {"page": page, "filters": filters, "nav_active": "partner-requests"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    _ensure_takes_part(request.user)
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = perform(form, services.publish_request, request.user, **form.service_arguments())
        if outcome.ok:
            messages.success(request, _("Your request is published."))
            return redirect(reverse("cooperation:partner-request", args=[outcome.result.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cooperation/request_new.html",
        {"form": form, "nav_active": "partner-requests"},
        status=status,
    )


def _detail(request, partner_request, *, status=200, respond_form=None, problem=None):
    user = request.user
    manages = can.manages_request(user, partner_request)
    parties = [] if manages else selectors.parties_of(user, partner_request.municipality_id)
    if respond_form is None and parties and partner_request.state == PartnerRequest.State.OPEN:
        respond_form = RespondForm(parties=parties)
    proposals = None
    if manages and partner_request.proposal_id is None and partner_request.state == PartnerRequest.State.OPEN:
        proposals = list(
            selectors.proposals_for_request(
                user, partner_request.municipality_id, partner_request.call_id
            ).select_related(None)
        )
    context = {
        "partner_request": partner_request,
        "responses": list(selectors.responses_of(user, partner_request)),
        "manages": manages,
        "respond_form": respond_form,
        "proposals": proposals,
        "problem": problem,
        "nav_active": "partner-requests",
    }
    return render(request, "cooperation/request_detail.html", context, status=status)


@login_required
@require_GET
def request_detail(request, pk):
    return _detail(request, selectors.visible_request(request.user, pk))


def _after(request, partner_request, outcome, notice: str, **kwargs):
    if outcome.ok:
        messages.success(request, notice)
        return redirect(reverse("cooperation:partner-request", args=[partner_request.pk]))
    return _detail(request, partner_request, status=outcome.status, problem=outcome.problem, **kwargs)


@login_required
@require_POST
def respond(request, pk):
    partner_request = selectors.visible_request(request.user, pk)
    form = RespondForm(
        request.POST, parties=selectors.parties_of(request.user, partner_request.municipality_id)
    )
    if not form.is_valid():
        return _detail(request, partner_request, status=400, respond_form=form)
    outcome = perform(form, services.respond, request.user, partner_request, **form.service_arguments())
    return _after(request, partner_request, outcome, _("Your answer is sent."), respond_form=form)


@login_required
@require_POST
def close(request, pk):
    partner_request = selectors.visible_request(request.user, pk)
    outcome = perform(None, services.close_request, request.user, partner_request)
    return _after(request, partner_request, outcome, _("The request is closed."))


def _chosen_proposal(request, partner_request):
    pk = request.POST.get("proposal")
    if not pk or not str(pk).isdigit():
        return None
    return (
        selectors.proposals_for_request(request.user, partner_request.municipality_id).filter(pk=pk).first()
    )


@login_required
@require_POST
def decide(request, pk, decision):
    """Accept or decline an answer (the requester), or withdraw it (its responder)."""
    response = selectors.visible_response(request.user, pk)
    partner_request = selectors.visible_request(request.user, response.request_id)
    if decision == "accept":
        proposal = _chosen_proposal(request, partner_request)
        outcome = perform(None, services.accept_response, request.user, response, proposal=proposal)
        notice = _("%(party)s joins the proposal.") % {"party": response.party}
    elif decision == "decline":
        reason = request.POST.get("reason", "")[:2000]
        outcome = perform(None, services.decline_response, request.user, response, reason=reason)
        notice = _("The answer is declined.")
    else:
        outcome = perform(None, services.withdraw_response, request.user, response)
        notice = _("Your answer is withdrawn.")
    return _after(request, partner_request, outcome, notice)
