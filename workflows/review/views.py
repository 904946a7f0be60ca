"""Web pages of expert review: the review section of a proposal (the office opens rounds, assigns
reviewers from the ranked suggestions, withdraws, reads the aggregate and closes; the team reads the
shared feedback), a round's own page, and the reviewer's "My reviews" and assignment pages.

Thin, like the other pages: reads through `workflows.review.selectors` (and `conflicts.suggestions`),
writes through `workflows.review.services`. Domain errors come back as pages: `NotFound` is 404,
`Conflict` 409 with its reasons, `Invalid` 400 with the form and each error next to its field. The
proposal page loads the section with htmx (one request of its own), so the proposal page costs no
query more for it and every action swaps just the section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from grants_office.core.errors import Conflict, Invalid, NotFound, PreconditionFailed
from grants_office.core.people import display_name
from grants_office.members.permissions import is_office_staff
from workflows import sections
from workflows.review import conflicts, selectors, services
from workflows.review import permissions as can
from workflows.review.forms import (
    AcceptForm,
    AssignForm,
    CloseRoundForm,
    DeclineForm,
    OpenRoundForm,
    ReviewForm,
    WithdrawForm,
)
from workflows.review.models import ReviewAssignment, ReviewRound
from workflows.states import AssignmentState, State

SECTION_TEMPLATE = "workflows/review/includes/section.html"


def _proposal(request, pk):
    return sections.visible_proposal(request, pk, select_related=("lead", "call__programme", "coordinator"))


def _round(request, pk) -> ReviewRound:
    try:
        return selectors.round_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _assignment(request, pk) -> ReviewAssignment:
    try:
        return selectors.assignment_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _proposal_url(proposal_id: int) -> str:
    return reverse("workflows:proposal", args=[proposal_id])


# --- what a round shows to whom ---------------------------------------------------------------------


@dataclass
class RoundView:
    """One round as this person may see it. `full`: reviews, aggregate and the office's tools too."""

    round: ReviewRound
    assignments: list
    full: bool
    role: str | None = None
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
    view.role = can.role_in_round(user, review_round)
    view.shown = selectors.reviews_visible_in(review_round, user, view.role)
    office = view.role == can.OFFICE
    if (office and (not review_round.is_open or view.all_in)) or (
        view.role == can.TEAM and not review_round.is_open
    ):
        view.aggregate = selectors.aggregate_of(review_round, [s.review for s in view.shown])
    if office and review_round.is_open:
        view.suggested, view.conflicted = conflicts.suggestions(review_round)
        close = bound.get("close") if bound.get("round") == review_round.pk else None
        view.close_form = close or CloseRoundForm(review_round=review_round)
    return view


def _section_context(request, proposal, *, bound: dict | None = None, error=None) -> dict:
    user = request.user
    office = is_office_staff(user)
    rounds = list(selectors.rounds_of(user, proposal))
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
        OpenRoundForm(default_due_at=services.default_due_at(proposal)) if may_open else None
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
    return render(request, "workflows/review/section_page.html", context, status=status)


def _done(request, url: str, message: str, anchor: str = ""):
    """After a step that changes more than the part of the page it came from: load the page again.
    (htmx gets the address without the anchor: a change of anchor alone would not reload the page.)"""
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url + anchor)


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
    review_round = _round(request, pk)
    assignments = list(selectors.assignments_visible_to(request.user).filter(round=review_round))
    view = _round_view(request, review_round, assignments, full=True)
    return render(
        request,
        "workflows/review/round.html",
        {
            "proposal": review_round.proposal,
            "view": view,
            "is_office": view.role == can.OFFICE,
            "nav_active": "board" if view.role == can.OFFICE else "mine",
        },
    )


@login_required
@require_POST
def open_round(request, pk):
    proposal = _proposal(request, pk)
    form = OpenRoundForm(request.POST)
    if not form.is_valid():
        return _render_section(request, proposal, status=400, bound={"open": form})
    try:
        review_round = services.open_round(
            proposal,
            request.user,
            due_at=form.cleaned_data.get("due_at"),
            confirm_after_deadline=form.cleaned_data.get("confirm_after_deadline", False),
        )
    except Conflict as error:
        return _render_section(request, proposal, status=409, error=error)
    except Invalid as error:
        form.add_service_errors(error)
        return _render_section(request, proposal, status=400, bound={"open": form})
    except NotFound:
        raise Http404 from None
    return _done(
        request,
        _proposal_url(proposal.pk),
        _("Review round %(number)s is open: assign the reviewers.") % {"number": review_round.number},
        anchor="#review",
    )


@login_required
@require_POST
def close_round(request, pk):
    review_round = _round(request, pk)
    proposal = review_round.proposal
    form = CloseRoundForm(request.POST, review_round=review_round)
    form.is_valid()
    try:
        services.close_round(review_round, request.user, feedback=form.data.get("feedback", ""))
    except Conflict as error:
        bound = {"round": review_round.pk, "error": error, "close": form}
        return _render_section(request, proposal, status=409, bound=bound)
    except Invalid as error:
        form.add_service_errors(error)
        return _render_section(request, proposal, status=400, bound={"round": review_round.pk, "close": form})
    except NotFound:
        raise Http404 from None
    return _done(
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
    review_round = _round(request, pk)
    proposal = review_round.proposal
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _render_section(
            request, proposal, status=400, bound={"round": review_round.pk, "assign": form}
        )
    try:
        assignment = services.assign_reviewer(
            review_round,
            request.user,
            reviewer=form.cleaned_data["reviewer"],
            due_at=form.cleaned_data.get("due_at"),
        )
    except Conflict as error:
        return _render_section(
            request, proposal, status=409, bound={"round": review_round.pk, "error": error}
        )
    except Invalid as error:
        form.add_service_errors(error)
        return _render_section(
            request, proposal, status=400, bound={"round": review_round.pk, "assign": form}
        )
    except NotFound:
        raise Http404 from None
    messages.success(
        request,
        _("%(reviewer)s is invited to review.") % {"reviewer": display_name(assignment.reviewer)},
    )
    if request.htmx:
        return _render_section(request, proposal)
    return redirect(_proposal_url(proposal.pk) + "#review")


@login_required
@require_POST
def withdraw(request, pk):
    """The office takes an assignment back (from the proposal's section)."""
    assignment = _assignment(request, pk)
    proposal = assignment.round.proposal
    form = WithdrawForm(request.POST)
    if not form.is_valid():  # e.g. a NUL character, which the database cannot store
        problems = [str(message) for messages_ in form.errors.values() for message in messages_]
        error = Invalid(" ".join(problems), fields=dict(form.errors))
        return _render_section(
            request, proposal, status=400, bound={"round": assignment.round_id, "error": error}
        )
    try:
        services.transition_assignment(
            assignment, "withdraw", request.user, comment=form.cleaned_data["comment"]
        )
    except Conflict as error:
        bound = {"round": assignment.round_id, "error": error}
        return _render_section(request, proposal, status=409, bound=bound)
    except NotFound:
        raise Http404 from None
    messages.success(
        request,
        _("The assignment of %(reviewer)s is withdrawn.") % {"reviewer": display_name(assignment.reviewer)},
    )
    if request.htmx:
        return _render_section(request, proposal)
    return redirect(_proposal_url(proposal.pk) + "#review")


# --- the reviewer's pages --------------------------------------------------------------------------


@login_required
@require_GET
def my_reviews(request):
    """The assignments of the person signed in, open ones first, soonest due first."""
    assignments = list(selectors.assignments_visible_to(request.user).filter(reviewer=request.user))
    order = {AssignmentState.INVITED: 0, AssignmentState.ACCEPTED: 1}
    assignments.sort(
        key=lambda a: (order.get(a.state, 2), a.due_at if a.state in AssignmentState.AWAITING else -a.pk)
    )
    for assignment in assignments:
        assignment.brief = assignment.round.proposal if can.sees_brief(request.user, assignment) else None
    return render(
        request,
        "workflows/review/my_reviews.html",
        {"assignments": assignments, "nav_active": "reviews"},
    )


def _assignment_context(request, assignment, **forms) -> dict:
    """The assignment with the conflict-check brief while it is live; once the reviewer has taken it on
    with the declaration, the round, the review form and the reviews they may see. A declined or
    withdrawn assignment shows nothing of the proposal."""
    user = request.user
    context = {
        "assignment": assignment,
        "brief": assignment.round.proposal if can.sees_brief(user, assignment) else None,
        "state_label": AssignmentState(assignment.state).label,
        "is_reviewer": assignment.reviewer_id == user.pk,
        "is_office": is_office_staff(user),
        "nav_active": "reviews",
        "review_round": None,
        "mine": None,
        "others": [],
        "error": forms.pop("error", None),
        "saved": forms.pop("saved", False),
    }
    if assignment.state == AssignmentState.INVITED and context["is_reviewer"]:
        context["accept_form"] = forms.get("accept") or AcceptForm()
        context["decline_form"] = forms.get("decline") or DeclineForm()
    if not can.sees_material(user, assignment):
        return context
    review_round = selectors.round_for(user, assignment.round_id)
    context["review_round"] = review_round
    if context["is_reviewer"]:
        shown = selectors.reviews_visible_in(review_round, user, can.REVIEWER)
        mine = next((s for s in shown if s.is_mine), None)
        context["mine"] = mine
        context["others"] = [s for s in shown if not s.is_mine]
    if assignment.state == AssignmentState.ACCEPTED and context["is_reviewer"]:
        review = context["mine"].review if context["mine"] else None
        context["review_form"] = forms.get("review") or ReviewForm(
            criteria=review_round.criteria.all(),
            review=review,
            seen_version=services.review_tag(assignment, review),
        )
    return context


@login_required
@require_GET
def assignment_detail(request, pk):
    """One assignment: answer the invitation, read the versions under review, score, see the others."""
    assignment = _assignment(request, pk)
    return render(request, "workflows/review/assignment.html", _assignment_context(request, assignment))


def _assignment_url(assignment) -> str:
    return reverse("workflows:review-assignment", args=[assignment.pk])


def _render_assignment(request, assignment, *, status, **forms):
    assignment = _assignment(request, assignment.pk)  # fresh state after a refused write
    return render(
        request,
        "workflows/review/assignment.html",
        _assignment_context(request, assignment, **forms),
        status=status,
    )


@login_required
@require_POST
def accept(request, pk):
    assignment = _assignment(request, pk)
    form = AcceptForm(request.POST)
    form.is_valid()
    try:
        services.transition_assignment(assignment, "accept", request.user, **form.service_data())
    except Conflict as error:
        return _render_assignment(request, assignment, status=409, error=error)
    except Invalid as error:
        form.add_service_errors(error)
        return _render_assignment(request, assignment, status=400, accept=form)
    except NotFound:
        raise Http404 from None
    return _done(request, _assignment_url(assignment), _("Thank you: the review is yours to write."))


@login_required
@require_POST
def decline(request, pk):
    assignment = _assignment(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _render_assignment(request, assignment, status=400, decline=form)
    try:
        services.transition_assignment(
            assignment, "decline", request.user, reason=form.cleaned_data["reason"]
        )
    except Conflict as error:
        return _render_assignment(request, assignment, status=409, error=error)
    except NotFound:
        raise Http404 from None
    return _done(request, reverse("workflows:my-reviews"), _("You declined the review. The office is told."))


@login_required
@require_POST
def save_review(request, pk):
    """Save the draft or, with the submit button, submit it. htmx swaps the form with its errors in place
    (400), or the saved draft; submitting loads the assignment page with the others' reviews."""
    assignment = _assignment(request, pk)
    if assignment.state != AssignmentState.ACCEPTED or assignment.reviewer_id != request.user.pk:
        # The service gives the precise reason; the form needs the round's criteria to re-render.
        try:
            services.save_review(assignment, request.user)
        except Conflict as error:
            return _render_assignment(request, assignment, status=409, error=error)
        except NotFound:
            raise Http404 from None
    review_round = selectors.round_for(request.user, assignment.round_id)
    form = ReviewForm(request.POST, criteria=review_round.criteria.all())
    form.is_valid()
    submit = request.POST.get("action") == "submit"
    try:
        services.save_review(assignment, request.user, submit=submit, **form.service_data())
    except PreconditionFailed as error:
        # Saved from another tab or window since this page was rendered: keep what they typed, say so,
        # and carry the current version, so saving again is a deliberate choice to replace it.
        data = request.POST.copy()
        data["seen_version"] = services.review_tag(assignment)
        form = ReviewForm(data, criteria=review_round.criteria.all())
        form.is_valid()
        return _render_form_or_page(request, assignment, status=409, error=error, review=form)
    except Conflict as error:
        return _render_form_or_page(request, assignment, status=409, error=error, review=form)
    except Invalid as error:
        form.add_service_errors(error)
        return _render_form_or_page(request, assignment, status=400, review=form, error=None)
    except NotFound:
        raise Http404 from None
    if submit:
        return _done(request, _assignment_url(assignment), _("Your review is submitted. Thank you."))
    if request.htmx:
        return _render_form_or_page(request, assignment, status=200, saved=True)
    messages.success(request, _("Your draft is saved."))
    return redirect(_assignment_url(assignment))


def _render_form_or_page(request, assignment, *, status, **forms):
    if not request.htmx:
        return _render_assignment(request, assignment, status=status, **forms)
    assignment = _assignment(request, assignment.pk)
    context = _assignment_context(request, assignment, **forms)
    return render(request, "workflows/review/includes/review_form.html", context, status=status)
