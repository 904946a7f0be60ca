"""Moving a proposal through its lifecycle: the panel of what this person may do now (each move with
its form, each blocked one with its reasons) and running one move through `services.perform_transition`."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from grants_office.calls.models import Call
from grants_office.core.pages import perform
from workflows import lifecycle, selectors, services
from workflows.states import State


def proposal_url(proposal) -> str:
    return reverse("workflows:proposal", args=[proposal.pk])


def visible_proposal(request, pk):
    return selectors.visible_proposal(request.user, pk)


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@dataclass
class Move:
    """An allowed transition with its form, ready to render."""

    option: lifecycle.Option
    form: django_forms.Form
    target_label: str
    open: bool = False


def _form_for(option_name: str, form_class, proposal, data=None):
    form = form_class(data=data, proposal=proposal, auto_id=f"id_{option_name}_%s")
    for name, field in form.fields.items():
        if isinstance(field, django_forms.DateTimeField):
            field.widget = django_forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        elif isinstance(field, django_forms.ModelChoiceField) and name == "call":
            field.queryset = Call.objects.open().order_by("deadline")
            field.empty_label = _("The proposal's call") if proposal.call_id else "---------"
        elif isinstance(field.widget, django_forms.Textarea):
            field.widget.attrs["rows"] = 3
    return form


def panel_context(request, proposal, *, next_url, bound=None, error=None):
    moves, blocked = [], []
    for option in lifecycle.available(proposal, request.user):
        if not option.allowed:
            blocked.append(option)
            continue
        if bound is not None and bound[0] == option.name:
            form, is_open = bound[1], True
        else:
            form, is_open = _form_for(option.name, option.form, proposal), False
        moves.append(Move(option, form, State(option.target).label, is_open))
    return {
        "proposal": proposal,
        "state_label": State(proposal.state).label,
        "moves": moves,
        "blocked": blocked,
        "error": error,
        "next": next_url,
    }


def _render_panel(request, proposal, *, next_url, status=200, **kwargs):
    context = panel_context(request, proposal, next_url=next_url, **kwargs)
    template = "workflows/moves/section.html" if request.htmx else "workflows/moves/page.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def moves(request, pk):
    """What this person may do with the proposal now, each with its form, and what is blocked and why."""
    proposal = visible_proposal(request, pk)
    return _render_panel(request, proposal, next_url=_next_url(request, proposal_url(proposal)))


@login_required
@require_POST
def transition(request, pk, name):
    """Run one transition through services.perform_transition: 409 shows the reasons, 400 the form."""
    proposal = visible_proposal(request, pk)
    next_url = _next_url(request, proposal_url(proposal))
    form_class = lifecycle.form_class(lifecycle.transitions_named(name)[0])
    data = {field: request.POST[field] for field in form_class.base_fields if field in request.POST}
    outcome = perform(None, services.perform_transition, proposal, name, request.user, **data)
    if outcome.status == 409:
        proposal = visible_proposal(request, pk)
        return _render_panel(request, proposal, next_url=next_url, status=409, error=outcome.problem)
    if outcome.status == 400:
        # the form's own errors first; what only the service knows goes to the top
        form = _form_for(name, form_class, proposal, data=request.POST)
        form.is_valid()
        for field, problems in outcome.problem.fields.items():
            if field not in form.fields or not form.errors.get(field):
                for problem in problems:
                    form.add_error(None, problem)
        return _render_panel(request, proposal, next_url=next_url, status=400, bound=(name, form))
    moved = outcome.result
    messages.success(
        request,
        _("“%(proposal)s” is now %(state)s.") % {"proposal": moved, "state": State(moved.state).label},
    )
    if request.htmx:
        return HttpResponseClientRedirect(next_url)
    return redirect(next_url)
