"""The review section of a proposal (the office opens rounds, assigns reviewers from the ranked
suggestions, withdraws, reads the aggregate and closes; the team reads the shared feedback) and a
round's own page. The proposal page loads the section with htmx (one request of its own), so the
proposal page costs no query more for it and every action swaps just the section."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grants_office.core.errors import Conflict, Invalid
from grants_office.core.pages import perform
from grants_office.core.people import display_name
from grants_office.members.permissions import is_office_staff
from workflows import sections
from workflows.review import interests, selectors, services
from workflows.review import permissions as can
from workflows.review.due_dates import default_due_at
from workflows.review.forms import (
    AssignForm,
    CloseRoundForm,
    OpenRoundForm,
    WithdrawForm,
)
from workflows.review.models import ReviewRound
from workflows.review.views.steps import done, perform_with_form
from workflows.roles import Role
from workflows.states import AssignmentState, State

SECTION_TEMPLATE = "workflows/review/includes/body.html"
PAGE_TEMPLATE = "workflows/review/page.html"


def _proposal(request, pk):
    return sections.visible_proposal(request, pk, select_related=("lead", "call__programme", "coordinator"))


def _proposal_url(proposal_id: int) -> str:
    return reverse("workflows:proposal", args=[proposal_id])


# --- what a round shows to whom ---------------------------------------------------------------------


@dataclass
class RoundView:
    """One round as this person may see it. `full`: reviews, aggregate and the office's tools too."""

    round: ReviewRound
    assignments: list
    full: bool
    role: Role | None = None
    shown: list = field(default_factory=list)
    aggregate: object = None
    submitted: int = 0
    suggested: list = field(default_factory=list)
    conflicted: list = field(default_factory=list)
    close_form: CloseRoundForm | None = None
    assign_form: AssignForm | None = None
    error: Conflict | None = None

    @property
    def all_in(self) -> bool:
        states = [a.state for a in self.assignments]
        return (
            bool(states)
            and all(s in AssignmentState.ENDED for s in states)
            and AssignmentState.SUBMITTED in states
        )

    @property
    def waiting(self) -> int:
        return sum(1 for a in self.assignments if a.state in AssignmentState.AWAITING)


def _round_view(request, review_round, assignments, *, full: bool, bound: dict | None = None) -> RoundView:
    bound = bound or {}
    view = RoundView(round=review_round, assignments=assignments, full=full)
    view.submitted = sum(1 for a in assignments if a.state == AssignmentState.SUBMITTED)
    if bound.get("round") == review_round.pk:
        view.error = bound.get("error")
        view.assign_form = bound.get("assign")
    if not full:
        return view
    user = request.user
    # the round's assignments this person sees say their role there: no query of its own
    view.role = can.role_among(user, assignments)
    view.shown = selectors.reviews_visible_in(review_round, user, view.role)
    office = view.role == Role.OFFICE
    if (office and (not review_round.is_open or view.all_in)) or (
        view.role == Role.TEAM and not review_round.is_open
    ):
        view.aggregate = selectors.aggregate_of(review_round, [s.review for s in view.shown])
    if office and review_round.is_open:
        pool = interests.suggestions(review_round)
        view.suggested, view.conflicted = pool.suggested, pool.conflicted
        close = bound.get("close") if bound.get("round") == review_round.pk else None
        view.close_form = close or CloseRoundForm(review_round=review_round)
    return view


def _section_context(request, proposal, *, bound: dict | None = None, error=None) -> dict:
    user = request.user
    office = is_office_staff(user)
    rounds = list(selectors.rounds_of(proposal))
    by_round: dict[int, list] = {r.pk: [] for r in rounds}
    if rounds:
        for assignment in selectors.assignments_visible_to(user).filter(round__proposal=proposal):
            by_round.setdefault(assignment.round_id, []).append(assignment)
    views = [
        _round_view(request, r, by_round[r.pk], full=index == 0, bound=bound)
        for index, r in enumerate(rounds)
    ]
    may_open = office and proposal.state == State.DRAFTING and not any(r.is_open for r in rounds)
    open_form = (bound or {}).get("open") or (
        OpenRoundForm(default_due_at=default_due_at(proposal)) if may_open else None
    )
    return {
        "proposal": proposal,
        "rounds": views,
        "is_office": office,
        "open_form": open_form,
        "section_error": error,
    }


def _render_section(request, proposal, *, status=200, **kwargs):
    context = _section_context(request, proposal, **kwargs)
    if request.htmx:
        # After an action, the message of how it went goes to the page's status region as well.
        context["oob_messages"] = request.method == "POST"
        return render(request, SECTION_TEMPLATE, context, status=status)
    context["nav_active"] = "board" if context["is_office"] else "mine"
    return render(request, PAGE_TEMPLATE, context, status=status)


# --- the proposal's review section and a round's page --------------------------------------------------


@login_required
@require_GET
def review_section(request, pk):
    """The rounds of a proposal with what this person may see of them (htmx: the section alone)."""
    return _render_section(request, _proposal(request, pk))


@login_required
@require_GET
def round_detail(request, pk):
    """One round in full: for earlier rounds, whose details the proposal page only links to."""
    review_round = selectors.round_for(request.user, pk)
    assignments = list(selectors.assignments_visible_to(request.user).filter(round=review_round))
    view = _round_view(request, review_round, assignments, full=True)
    return render(
        request,
        "workflows/review/round.html",
        {
            "proposal": review_round.proposal,
            "view": view,
            "is_office": view.role == Role.OFFICE,
            "nav_active": "board" if view.role == Role.OFFICE else "mine",
        },
    )


@login_required
@require_POST
def open_round(request, pk):
    proposal = _proposal(request, pk)
    form = OpenRoundForm(request.POST)
    if not form.is_valid():
        return _render_section(request, proposal, status=400, bound={"open": form})
    outcome = perform_with_form(
        form,
        services.open_round,
        proposal,
        request.user,
        due_at=form.cleaned_data.get("due_at"),
        confirm_after_deadline=form.cleaned_data.get("confirm_after_deadline", False),
    )
    if outcome.status == 409:
        return _render_section(request, proposal, status=409, error=outcome.problem)
    if outcome.status == 400:
        return _render_section(request, proposal, status=400, bound={"open": form})
    return done(
        request,
        _proposal_url(proposal.pk),
        _("Review round %(number)s is open: assign the reviewers.") % {"number": outcome.result.number},
        anchor="#review",
    )


@login_required
@require_POST
def close_round(request, pk):
    review_round = selectors.round_for(request.user, pk)
    proposal = review_round.proposal
    form = CloseRoundForm(request.POST, review_round=review_round)
    form.is_valid()
    outcome = perform_with_form(
        form, services.close_round, review_round, request.user, feedback=form.data.get("feedback", "")
    )
    if not outcome.ok:
        bound = {"round": review_round.pk, "error": outcome.problem, "close": form}
        return _render_section(request, proposal, status=outcome.status, bound=bound)
    return done(
        request,
        _proposal_url(proposal.pk),
        _("Review round %(number)s is closed and the feedback is shared with the team.")
        % {"number": review_round.number},
        anchor="#review",
    )


@login_required
@require_POST
def assign(request, pk):
    """Invite one of the suggested experts; the section comes back with the new assignment."""
    review_round = selectors.round_for(request.user, pk)
    proposal = review_round.proposal
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _render_section(
            request, proposal, status=400, bound={"round": review_round.pk, "assign": form}
        )
    outcome = perform_with_form(
        form,
        services.assign_reviewer,
        review_round,
        request.user,
        reviewer=form.cleaned_data["reviewer"],
        due_at=form.cleaned_data.get("due_at"),
    )
    if outcome.status == 409:
        bound = {"round": review_round.pk, "error": outcome.problem}
        return _render_section(request, proposal, status=409, bound=bound)
    if outcome.status == 400:
        bound = {"round": review_round.pk, "assign": form}
        return _render_section(request, proposal, status=400, bound=bound)
    messages.success(
        request,
        _("%(reviewer)s is invited to review.") % {"reviewer": display_name(outcome.result.reviewer)},
    )
    if request.htmx:
        return _render_section(request, proposal)
    return redirect(_proposal_url(proposal.pk) + "#review")


@login_required
@require_POST
def withdraw(request, pk):
    """The office takes an assignment back (from the proposal's section)."""
    assignment = selectors.assignment_for(request.user, pk)
    proposal = assignment.round.proposal
    form = WithdrawForm(request.POST)
    if not form.is_valid():  # e.g. a NUL character, which the database cannot store
        problems = [str(message) for messages_ in form.errors.values() for message in messages_]
        error = Invalid(" ".join(problems), fields=dict(form.errors))
        return _render_section(
            request, proposal, status=400, bound={"round": assignment.round_id, "error": error}
        )
    outcome = perform(
        None,
        services.transition_assignment,
        assignment,
        "withdraw",
        request.user,
        comment=form.cleaned_data["comment"],
    )
    if not outcome.ok:
        bound = {"round": assignment.round_id, "error": outcome.problem}
        return _render_section(request, proposal, status=outcome.status, bound=bound)
    messages.success(
        request,
        _("The assignment of %(reviewer)s is withdrawn.") % {"reviewer": display_name(assignment.reviewer)},
    )
    if request.htmx:
        return _render_section(request, proposal)
    return redirect(_proposal_url(proposal.pk) + "#review")
