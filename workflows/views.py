"""Web pages for proposals: the office's pipeline board, a team's own proposals, the proposal page and
moving a proposal through its lifecycle. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from grants_office.calls.models import Call
from grants_office.core.errors import Conflict, Invalid, NotFound
from grants_office.members import selectors as member_selectors
from grants_office.members.permissions import is_office_staff
from workflows import lifecycle, selectors, services
from workflows.consultation_views import section_context as consultation_section
from workflows.discussion import views as discussion_pages
from workflows.documents_views import section_context as documents_section
from workflows.forms import BOARD_STATES, BoardFilterForm, IdeaForm
from workflows.review import selectors as review_selectors
from workflows.states import State


def _visible_proposal(request, pk):
    return get_object_or_404(selectors.proposals_visible_to(request.user), pk=pk)


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


# --- the board -----------------------------------------------------------------------------------------


@dataclass
class Column:
    state: str
    label: str
    cards: list


@login_required
@require_GET
def board(request):
    """A column per state; each card moves through the transitions panel (lifecycle.available)."""
    if not is_office_staff(request.user):
        raise PermissionDenied
    filters = BoardFilterForm(request.GET or None)
    states = list(BOARD_STATES) + (
        [s for s in State.values if s not in BOARD_STATES] if filters.show_closed() else []
    )
    proposals = selectors.board_proposals(request.user, states=states, **filters.filters())
    columns = {state: Column(state, State(state).label, []) for state in states}
    for proposal in proposals:
        columns[proposal.state].cards.append(proposal)
    context = {
        "filters": filters,
        "columns": list(columns.values()),
        "total": sum(len(column.cards) for column in columns.values()),
        "nav_active": "board",
    }
    if request.htmx and request.htmx.target == "board":
        return render(request, "workflows/includes/board_columns.html", context)
    return render(request, "workflows/board.html", context)


# --- moving a proposal ---------------------------------------------------------------------------------


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


def _panel_context(request, proposal, *, next_url, bound=None, error=None):
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
    context = _panel_context(request, proposal, next_url=next_url, **kwargs)
    template = "workflows/includes/transitions.html" if request.htmx else "workflows/moves.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def moves(request, pk):
    """What this person may do with the proposal now, each with its form, and what is blocked and why."""
    proposal = _visible_proposal(request, pk)
    return _render_panel(request, proposal, next_url=_next_url(request, proposal_url(proposal)))


@login_required
@require_POST
def transition(request, pk, name):
    """Run one transition through services.perform_transition: 409 shows the reasons, 400 the form."""
    proposal = _visible_proposal(request, pk)
    next_url = _next_url(request, proposal_url(proposal))
    try:
        form_class = lifecycle.form_class(lifecycle.transitions_named(name)[0])
    except NotFound:
        raise Http404 from None
    data = {field: request.POST[field] for field in form_class.base_fields if field in request.POST}
    try:
        moved = services.perform_transition(proposal, name, request.user, **data)
    except Conflict as error:
        proposal = _visible_proposal(request, pk)
        return _render_panel(request, proposal, next_url=next_url, status=409, error=error)
    except Invalid as error:
        form = _form_for(name, form_class, proposal, data=request.POST)
        form.is_valid()
        for field, problems in error.fields.items():
            if field not in form.fields or not form.errors.get(field):
                for problem in problems:
                    form.add_error(None, problem)
        return _render_panel(request, proposal, next_url=next_url, status=400, bound=(name, form))
    except NotFound:
        raise Http404 from None
    messages.success(
        request,
        _("“%(proposal)s” is now %(state)s.") % {"proposal": moved, "state": State(moved.state).label},
    )
    if request.htmx:
        return HttpResponseClientRedirect(next_url)
    return redirect(next_url)


# --- proposals ---------------------------------------------------------------------------------------


def proposal_url(proposal) -> str:
    return reverse("workflows:proposal", args=[proposal.pk])


def _transition_labels() -> dict[str, str]:
    labels = {t.name: str(t.custom.get("label", t.name)) for t in lifecycle.all_transitions()}
    # not a move, but logged with the moves
    labels[services.LEAD_EXCEPTION_LOG] = _("Lead exception recorded")
    return labels


def _state_label(value) -> str:
    try:
        return State(value).label
    except ValueError:
        return value or ""


@login_required
@require_GET
def proposal_detail(request, pk):
    """Everything about one proposal that this person may see, and what they may do with it now."""
    proposal = get_object_or_404(
        selectors.proposals_visible_to(request.user).select_related("document_set"), pk=pk
    )
    labels = _transition_labels()
    history = [
        {
            "at": log.timestamp,
            "by": log.by,
            "transition": labels.get(log.transition, log.transition),
            "source": _state_label(log.source_state),
            "target": _state_label(log.state),
            "comment": log.description or "",
        }
        for log in selectors.history(proposal)
    ]
    context = {
        "proposal": proposal,
        "state_label": State(proposal.state).label,
        "partners": list(proposal.partners.all()),
        "history": history,
        "submissions": list(selectors.submissions(proposal)),
        "earlier_feedback": review_selectors.earlier_feedback(proposal),
        "consultations": list(selectors.consultations(proposal)),
        **documents_section(request, proposal),
        **consultation_section(request, proposal),
        "is_office": is_office_staff(request.user),
        "nav_active": "board" if is_office_staff(request.user) else "mine",
        **_panel_context(request, proposal, next_url=proposal_url(proposal)),
        **discussion_pages.section(request, proposal),
    }
    return render(request, "workflows/proposal_detail.html", context)


@login_required
@require_GET
def my_proposals(request):
    """A team's proposals with the next deadline of each; the office's are the ones it coordinates."""
    office = is_office_staff(request.user)
    proposals = list(selectors.my_proposals(request.user))
    may_create = office or member_selectors.municipalities_led_by_teams_of(request.user).exists()
    return render(
        request,
        "workflows/my_proposals.html",
        {"proposals": proposals, "office": office, "may_create": may_create, "nav_active": "mine"},
    )


@login_required
def new_idea(request):
    """Register an idea for one of your municipalities (the office: for any member)."""
    office = is_office_staff(request.user)
    leads = (
        member_selectors.municipalities()
        if office
        else member_selectors.municipalities_led_by_teams_of(request.user)
    ).order_by("name")
    if not office and not leads.exists():
        raise PermissionDenied
    form = IdeaForm(request.POST or None, leads=leads, office=office)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            proposal = services.create_proposal(request.user, **arguments)
        except Invalid as error:
            for field, problems in error.fields.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Your idea “%(proposal)s” is registered.") % {"proposal": proposal})
            return redirect(proposal_url(proposal))
    status = 400 if request.method == "POST" else 200
    return render(request, "workflows/new_idea.html", {"form": form, "nav_active": "mine"}, status=status)
