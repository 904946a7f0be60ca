"""Opening and closing review rounds. Each write locks the round row first, so nothing joins a round
while it closes."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.selectors import latest_versions
from grants_office.calls.models import Criterion, Rubric
from grants_office.core.errors import Conflict, Invalid, NotFound, Reason
from grants_office.core.people import display_name
from workflows import access, signals
from workflows.models import Proposal
from workflows.review import due_dates
from workflows.review import permissions as can
from workflows.review.models import ReviewRound, RoundCriterion
from workflows.review.services.refusals import not_permitted, round_closed
from workflows.services import perform_transition
from workflows.states import AssignmentState, State


def _rubric_for(proposal: Proposal) -> Rubric | None:
    rubric = proposal.call.rubric if proposal.call_id and proposal.call.rubric_id else None
    return rubric or Rubric.objects.filter(is_office_default=True).first()


def _criteria_of(proposal: Proposal) -> tuple[Rubric, list[Criterion]]:
    """The rubric a new round copies (the call's, else the office default) with its criteria; 409 when
    there is none to review against."""
    rubric = _rubric_for(proposal)
    criteria = list(rubric.criteria.order_by("position", "id")) if rubric else []
    if not criteria:
        message = _("Neither the call nor the office has a rubric with criteria to review against.")
        raise Conflict(message, reasons=[Reason("no_rubric", message)], code="no_rubric")
    return rubric, criteria


def _create_round(proposal: Proposal, user, rubric: Rubric, *, due_at, after_deadline: bool) -> ReviewRound:
    """The next round of the (locked) proposal; 409 when one is open already (the database says so)."""
    number = (proposal.review_rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    try:
        with transaction.atomic():
            return ReviewRound.objects.create(
                proposal=proposal,
                number=number,
                due_at=due_at,
                due_after_deadline=after_deadline,
                rubric_name=rubric.name,
                overall_threshold=rubric.overall_threshold,
                disagreement_rule=rubric.disagreement_rule,
                disagreement_gap=rubric.disagreement_gap,
                opened_by=user,
            )
    except IntegrityError as error:
        message = _("A review round is already open on this proposal.")
        raise Conflict(message, reasons=[Reason("round_open", message)], code="round_open") from error


def _copy_criteria(review_round: ReviewRound, criteria: list[Criterion]) -> None:
    """Freeze the rubric's criteria on the round: later edits of the rubric never change how it scores."""
    RoundCriterion.objects.bulk_create(
        RoundCriterion(
            round=review_round,
            code=c.code,
            title=c.title,
            description=c.description,
            position=c.position,
            scale_min=c.scale_min,
            scale_max=c.scale_max,
            step=c.step,
            threshold=c.threshold,
            weight=c.weight,
        )
        for c in criteria
    )


def open_round(proposal: Proposal, user, *, due_at=None, confirm_after_deadline: bool = False) -> ReviewRound:
    """Open a round on a drafting proposal: it moves to in_review, the rubric and the latest document
    versions are fixed for the reviewers. Without `due_at` the reviews are due on `default_due_at`; a
    named date after the proposal's deadline needs `confirm_after_deadline`. Either way a round due
    after the deadline is flagged (`due_after_deadline`)."""
    if not access.can_view(user, proposal):
        raise NotFound(_("Not found."))
    if not can.can_manage_rounds(user):
        raise not_permitted(_("Only the office opens review rounds."))
    due_at = due_dates.in_the_future(due_at, "due_at")
    # the office's own default needs no confirmation, but is flagged like a named date
    confirmed = confirm_after_deadline or due_at is None
    due_at = due_at or due_dates.default_due_at(proposal)
    after_deadline = due_dates.after_deadline(proposal, due_at, confirmed=confirmed)
    rubric, criteria = _criteria_of(proposal)
    with transaction.atomic():
        # Locks the proposal, checks drafting and the office's permission, logs the move.
        locked = perform_transition(proposal, "start_review", user, system=True)
        review_round = _create_round(locked, user, rubric, due_at=due_at, after_deadline=after_deadline)
        _copy_criteria(review_round, criteria)
        if locked.document_set_id is not None:
            review_round.versions.set(latest_versions(locked.document_set))
    return review_round


def _ensure_every_assignment_ended(review_round: ReviewRound) -> None:
    """409 naming each reviewer the round still waits for."""
    waiting = list(
        review_round.assignments.filter(state__in=AssignmentState.AWAITING)
        .select_related("reviewer")
        .order_by("id")
    )
    if waiting:
        raise Conflict(
            _("Every assignment must end before the round closes."),
            reasons=[
                Reason(
                    "assignment_open",
                    _("%(reviewer)s: %(state)s.")
                    % {"reviewer": display_name(a.reviewer), "state": AssignmentState(a.state).label},
                )
                for a in waiting
            ],
            code="assignments_open",
        )


def close_round(review_round: ReviewRound, user, *, feedback: str) -> ReviewRound:
    """Close a round whose assignments have all ended; the proposal goes back to drafting and the team
    gets the office's feedback with the anonymised reviews."""
    if not access.can_view(user, review_round.proposal):
        raise NotFound(_("Not found."))
    if not can.can_manage_rounds(user):
        raise not_permitted(_("Only the office closes review rounds."))
    feedback = (feedback or "").strip()
    if not feedback:
        raise Invalid(_("Invalid input."), fields={"feedback": [_("Write the feedback for the team.")]})
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if not locked.is_open:
            raise round_closed()
        _ensure_every_assignment_ended(locked)
        proposal = Proposal.objects.get(pk=locked.proposal_id)
        # A proposal withdrawn during review has left in_review already; the round still closes.
        if proposal.state == State.IN_REVIEW:
            perform_transition(proposal, "end_review", user, system=True, comment=feedback)
        locked.feedback = feedback
        locked.closed_at = timezone.now()
        locked.closed_by = user
        locked.save(update_fields=["feedback", "closed_at", "closed_by"])
        signals.review_round_closed.send(sender=ReviewRound, review_round=locked, by=user)
    return locked
