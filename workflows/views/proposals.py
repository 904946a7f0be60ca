"""Web pages for proposals: a team's own proposals, registering an idea, and the proposal page assembled
from its sections. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grants_office.core.pages import perform
from grants_office.members import selectors as member_selectors
from grants_office.members.permissions import is_office_staff
from workflows import history as proposal_history
from workflows import selectors, services
from workflows.discussion import views as discussion_pages
from workflows.forms import IdeaForm
from workflows.review import selectors as review_selectors
from workflows.states import State
from workflows.views import consultations, documents, moves
from workflows.views.moves import proposal_url


@login_required
@require_GET
def proposal_detail(request, pk):
    """Everything about one proposal that this person may see, and what they may do with it now."""
    proposals = selectors.proposals_visible_to(request.user).select_related("document_set")
    proposal = selectors.visible_proposal(request.user, pk, proposals)
    history = proposal_history.timeline(proposal)
    context = {
        "proposal": proposal,
        "state_label": State(proposal.state).label,
        "partners": list(proposal.partners.all()),
        "history": history,
        "submissions": list(selectors.submissions(proposal)),
        "earlier_feedback": review_selectors.earlier_feedback(proposal),
        "consultations": list(selectors.consultations(proposal)),
        **documents.section_context(request, proposal),
        **consultations.section_context(request, proposal),
        "is_office": is_office_staff(request.user),
        "nav_active": "board" if is_office_staff(request.user) else "mine",
        **moves.panel_context(request, proposal, next_url=proposal_url(proposal)),
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
    # "start a proposal" links (call watch) name the lead and the call; the form still checks both
    initial = {name: request.GET[name] for name in ("lead", "call") if request.GET.get(name, "").isdigit()}
    form = IdeaForm(request.POST or None, leads=leads, office=office, initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = perform(form, services.create_proposal, request.user, **form.service_arguments())
        if outcome.ok:
            proposal = outcome.result
            messages.success(request, _("Your idea “%(proposal)s” is registered.") % {"proposal": proposal})
            return redirect(proposal_url(proposal))
    status = 400 if request.method == "POST" else 200
    return render(request, "workflows/new_idea.html", {"form": form, "nav_active": "mine"}, status=status)
