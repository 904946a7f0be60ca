"""Inviting reviewers and moving their assignments (accept with the declaration, decline, withdraw).
Each write locks the round row first, then the assignment: of two people racing the same step one wins
and the other gets 409."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grants_office.core.errors import Conflict, Invalid, NotFound, Reason
from grants_office.core.people import display_name
from grants_office.members.models import ExpertProfile
from workflows import access, signals
from workflows.review import due_dates
from workflows.review import permissions as can
from workflows.review.interests import conflicts_of
from workflows.review.models import ReviewAssignment, ReviewRound
from workflows.review.services.refusals import not_permitted, round_closed
from workflows.states import AssignmentState


def _ensure_expert(reviewer) -> None:
    if not ExpertProfile.objects.filter(user=reviewer, is_active=True, user__is_active=True).exists():
        raise Invalid(
            _("Invalid input."),
            fields={"reviewer": [_("Only an active expert with an expert profile can review.")]},
        )


def _ensure_no_conflict_of_interest(reviewer, proposal) -> None:
    reasons = conflicts_of(reviewer, proposal)
    if reasons:
        raise Conflict(
            _("%(reviewer)s has a conflict of interest: %(reasons)s")
            % {"reviewer": display_name(reviewer), "reasons": " ".join(reasons)},
            reasons=[Reason("conflict_of_interest", reason) for reason in reasons],
            code="conflict_of_interest",
        )


def assign_reviewer(
    review_round: ReviewRound, user, *, reviewer, due_at=None, confirm_after_deadline: bool = False
) -> ReviewAssignment:
    """Invite an expert: no conflict of interest, not already in the round. Until they accept with their
    declaration they see only the conflict-check brief (`workflows.access`). Due with the round unless
    `due_at` says otherwise; a date after the proposal's deadline needs `confirm_after_deadline` and
    flags the round."""
    proposal = review_round.proposal
    if not access.can_view(user, proposal):
        raise NotFound(_("Not found."))
    if not can.can_manage_rounds(user):
        raise not_permitted(_("Only the office assigns reviewers."))
    _ensure_expert(reviewer)
    due_at = due_dates.in_the_future(due_at, "due_at")
    after_deadline = due_at is not None and due_dates.after_deadline(
        proposal, due_at, confirmed=confirm_after_deadline
    )
    _ensure_no_conflict_of_interest(reviewer, proposal)
    already = Conflict(
        _("This reviewer is already assigned in this round."),
        reasons=[Reason("already_assigned", _("This reviewer is already assigned in this round."))],
        code="already_assigned",
    )
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if not locked.is_open:
            raise round_closed()
        if locked.assignments.active().filter(reviewer=reviewer).exists():
            raise already
        try:
            with transaction.atomic():
                assignment = ReviewAssignment.objects.create(
                    round=locked, reviewer=reviewer, due_at=due_at or locked.due_at, invited_by=user
                )
        except IntegrityError as error:  # a concurrent invitation of the same person
            raise already from error
        if after_deadline and not locked.due_after_deadline:
            locked.due_after_deadline = True
            locked.save(update_fields=["due_after_deadline"])
        signals.reviewer_assigned.send(sender=ReviewAssignment, assignment=assignment, by=user)
    return assignment


def after_assignment_ended(review_round: ReviewRound) -> None:
    """Tell once the round has all it will get: every assignment ended and at least one review in."""
    states = list(review_round.assignments.values_list("state", flat=True))
    if states and all(s in AssignmentState.ENDED for s in states) and AssignmentState.SUBMITTED in states:
        signals.all_reviews_in.send(sender=ReviewRound, review_round=review_round)


def ensure_sees_assignment(user, assignment: ReviewAssignment) -> None:
    """404 for an assignment this person may not see. No query: the caller loaded it (the views and the
    API through `selectors.assignments_visible_to`), and who sees it is a predicate of the row."""
    if not can.sees_assignment(user, assignment):
        raise NotFound(_("Not found."))


def _transition_named(name: str):
    for candidate in ReviewAssignment._meta.get_field("state").get_all_transitions(ReviewAssignment):
        if candidate.name == name:
            return candidate
    raise NotFound(_("There is no transition called %(name)s.") % {"name": name})


def _check(assignment: ReviewAssignment, name: str, user, *, allow_system: bool = False) -> None:
    transitions = [
        t
        for t in ReviewAssignment._meta.get_field("state").get_all_transitions(ReviewAssignment)
        if t.name == name
    ]
    here = next((t for t in transitions if t.source == assignment.state), None)
    label = AssignmentState(assignment.state).label
    if here is None:
        raise Conflict(
            _("This cannot be done while the assignment is %(state)s.") % {"state": label},
            reasons=[Reason("wrong_state", _("Not possible from the state %(state)s.") % {"state": label})],
            code="transition_not_allowed",
        )
    if here.custom.get("system") and not allow_system:
        message = _("The assignment is submitted by submitting the review.")
        raise Conflict(message, reasons=[Reason("system_only", message)], code="transition_not_allowed")
    if not here.has_perm(assignment, user):
        raise Conflict(
            _("You may not do this."),
            reasons=[Reason("not_permitted", _("Your role does not allow this step."))],
            code="transition_not_allowed",
        )


def _clean_declaration(data: dict) -> dict:
    declaration = str(data.get("declaration") or "").strip()
    no_conflict = data.get("no_conflict")
    errors = {}
    if not declaration:
        errors["declaration"] = [_("Declare in a sentence that you have no conflict of interest.")]
    if no_conflict is not True and str(no_conflict).lower() not in ("true", "1", "on"):
        errors["no_conflict"] = [_("Confirm that you have no conflict of interest.")]
    if errors:
        raise Invalid(_("Accepting needs a conflict-of-interest declaration."), fields=errors)
    return {"declaration": declaration[:4000], "no_conflict": True}


def transition_assignment(assignment: ReviewAssignment, name: str, user, **data) -> ReviewAssignment:
    """accept (with the declaration), decline, withdraw. `submit` happens by submitting the review."""
    ensure_sees_assignment(user, assignment)
    _transition_named(name)
    comment = str(data.get("comment") or data.get("reason") or "").strip()[:4000]
    with transaction.atomic():
        review_round = ReviewRound.objects.select_for_update().get(pk=assignment.round_id)
        locked = (
            ReviewAssignment.objects.select_for_update(of=("self",))
            .select_related("round__proposal", "reviewer")
            .get(pk=assignment.pk)
        )
        _check(locked, name, user)
        if not review_round.is_open:
            raise round_closed()
        cleaned = _clean_declaration(data) if name == "accept" else {}
        source = locked.state
        getattr(locked, name)(by=user, description=comment, **cleaned)
        locked.save()
        if locked.state in (AssignmentState.DECLINED, AssignmentState.WITHDRAWN):
            after_assignment_ended(review_round)
        signals.assignment_transitioned.send(
            sender=ReviewAssignment,
            assignment=locked,
            transition=name,
            source=source,
            target=locked.state,
            by=user,
            comment=comment,
        )
    return locked
