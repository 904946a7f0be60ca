"""The reviewer's pages: "My reviews" and an assignment's page (answer the invitation with the
conflict-of-interest declaration, read the versions under review, score, see the others' reviews)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grants_office.core.errors import PreconditionFailed
from grants_office.core.pages import perform
from grants_office.members.permissions import is_office_staff
from workflows.review import permissions as can
from workflows.review import selectors, services
from workflows.review.forms import (
    AcceptForm,
    DeclineForm,
    ReviewForm,
)
from workflows.review.views.steps import done, perform_with_form
from workflows.roles import Role
from workflows.states import AssignmentState

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
        shown = selectors.reviews_visible_in(review_round, user, Role.REVIEWER)
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
    assignment = selectors.assignment_for(request.user, pk)
    return render(request, "workflows/review/assignment.html", _assignment_context(request, assignment))


def _assignment_url(assignment) -> str:
    return reverse("workflows:review-assignment", args=[assignment.pk])


def _render_assignment(request, assignment, *, status, **forms):
    assignment = selectors.assignment_for(request.user, assignment.pk)  # fresh state after a refused write
    return render(
        request,
        "workflows/review/assignment.html",
        _assignment_context(request, assignment, **forms),
        status=status,
    )


@login_required
@require_POST
def accept(request, pk):
    assignment = selectors.assignment_for(request.user, pk)
    form = AcceptForm(request.POST)
    form.is_valid()
    outcome = perform_with_form(
        form, services.transition_assignment, assignment, "accept", request.user, **form.service_data()
    )
    if outcome.status == 409:
        return _render_assignment(request, assignment, status=409, error=outcome.problem)
    if outcome.status == 400:
        return _render_assignment(request, assignment, status=400, accept=form)
    return done(request, _assignment_url(assignment), _("Thank you: the review is yours to write."))


@login_required
@require_POST
def decline(request, pk):
    assignment = selectors.assignment_for(request.user, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _render_assignment(request, assignment, status=400, decline=form)
    outcome = perform(
        None,
        services.transition_assignment,
        assignment,
        "decline",
        request.user,
        reason=form.cleaned_data["reason"],
    )
    if not outcome.ok:
        return _render_assignment(request, assignment, status=outcome.status, error=outcome.problem)
    return done(request, reverse("workflows:my-reviews"), _("You declined the review. The office is told."))


@login_required
@require_POST
def save_review(request, pk):
    """Save the draft or, with the submit button, submit it. htmx swaps the form with its errors in place
    (400), or the saved draft; submitting loads the assignment page with the others' reviews."""
    assignment = selectors.assignment_for(request.user, pk)
    if assignment.state != AssignmentState.ACCEPTED or assignment.reviewer_id != request.user.pk:
        # The service gives the precise reason; the form needs the round's criteria to re-render.
        refused = perform(None, services.save_review, assignment, request.user)
        if not refused.ok:
            return _render_assignment(request, assignment, status=refused.status, error=refused.problem)
    review_round = selectors.round_for(request.user, assignment.round_id)
    form = ReviewForm(request.POST, criteria=review_round.criteria.all())
    form.is_valid()
    submit = request.POST.get("action") == "submit"
    try:
        outcome = perform_with_form(
            form, services.save_review, assignment, request.user, submit=submit, **form.service_data()
        )
    except PreconditionFailed as error:
        # Saved from another tab or window since this page was rendered: keep what they typed, say so,
        # and carry the current version, so saving again is a deliberate choice to replace it.
        data = request.POST.copy()
        data["seen_version"] = services.review_tag(assignment)
        form = ReviewForm(data, criteria=review_round.criteria.all())
        form.is_valid()
        return _render_form_or_page(request, assignment, status=409, error=error, review=form)
    if not outcome.ok:  # 409 with the reason, or 400 with the errors next to their fields
        return _render_form_or_page(
            request, assignment, status=outcome.status, error=outcome.problem, review=form
        )
    if submit:
        return done(request, _assignment_url(assignment), _("Your review is submitted. Thank you."))
    if request.htmx:
        return _render_form_or_page(request, assignment, status=200, saved=True)
    messages.success(request, _("Your draft is saved."))
    return redirect(_assignment_url(assignment))


def _render_form_or_page(request, assignment, *, status, **forms):
    if not request.htmx:
        return _render_assignment(request, assignment, status=status, **forms)
    assignment = selectors.assignment_for(request.user, assignment.pk)
    context = _assignment_context(request, assignment, **forms)
    return render(request, "workflows/review/includes/review_form.html", context, status=status)
