"""Writing a review: the reviewer's draft, then its submission, after which it never changes. Each
write locks the round row first, then the assignment, so "all reviews are in" is noticed exactly by
the write that completes the round."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants_office.core import concurrency
from grants_office.core.errors import Conflict, Invalid, Reason
from workflows import signals
from workflows.review import permissions as can
from workflows.review import scoring
from workflows.review.models import Review, ReviewAssignment, ReviewRound, ReviewScore
from workflows.review.services.assignments import after_assignment_ended, ensure_sees_assignment
from workflows.review.services.refusals import not_permitted
from workflows.states import AssignmentState

_UNREAD = object()


def review_tag(assignment: ReviewAssignment, review: Review | None = _UNREAD) -> str:
    """The entity tag of an assignment's review: a digest of its recommendation, comments, scores and
    submission. Read from the database (two queries) unless the caller has the review (or None for
    none yet) with its scores loaded."""
    if review is _UNREAD:
        review = Review.objects.filter(assignment_id=assignment.pk).prefetch_related("scores").first()
    if review is None:
        return concurrency.content_tag("review", assignment.pk, "not_started")
    scores = sorted(
        (s.criterion_id, None if s.score is None else format(s.score.normalize(), "f"), s.comment)
        for s in review.scores.all()
    )
    return concurrency.content_tag(
        "review", assignment.pk, review.pk, review.recommendation, review.comment, review.submitted_at, scores
    )


def _ensure_writable(locked: ReviewAssignment, user, precondition) -> None:
    """Only the assigned reviewer, onto the draft they read (with a precondition), while accepted."""
    if not can.invited_reviewer(user, locked):
        raise not_permitted(_("Only the assigned reviewer writes the review."))
    if precondition is not None and locked.state == AssignmentState.ACCEPTED:
        precondition.ensure(review_tag(locked))
    if locked.state == AssignmentState.SUBMITTED:
        message = _("The review was submitted and can no longer change.")
        raise Conflict(message, reasons=[Reason("review_submitted", message)], code="review_submitted")
    if locked.state != AssignmentState.ACCEPTED:
        message = (
            _("Accept the assignment before writing the review.")
            if locked.state == AssignmentState.INVITED
            else _("The assignment is %(state)s.") % {"state": AssignmentState(locked.state).label}
        )
        raise Conflict(message, reasons=[Reason("wrong_state", message)], code="wrong_state")


def _write_scores(review: Review, criteria: dict, changes: dict[str, dict]) -> dict[str, ReviewScore]:
    """Apply the parsed changes; the review's score rows by criterion code, as they are now."""
    existing = {s.criterion.code: s for s in review.scores.select_related("criterion")}
    for code, change in changes.items():
        row = existing.get(code) or ReviewScore(review=review, criterion=criteria[code])
        for name, value in change.items():
            setattr(row, name, value)
        row.save()
        existing[code] = row
    return existing


def _submitted(review: Review, locked: ReviewAssignment, review_round: ReviewRound, user) -> None:
    """The assignment follows its submitted review; whoever listens is told, the round too when it is
    complete."""
    locked.submit(by=user, description="")
    locked.save()
    signals.review_submitted.send(sender=Review, review=review, by=user)
    signals.assignment_transitioned.send(
        sender=ReviewAssignment,
        assignment=locked,
        transition="submit",
        source=AssignmentState.ACCEPTED,
        target=AssignmentState.SUBMITTED,
        by=user,
    )
    after_assignment_ended(review_round)


def save_review(
    assignment: ReviewAssignment,
    user,
    *,
    scores: dict | None = None,
    recommendation: str | None = None,
    comment: str | None = None,
    submit: bool = False,
    precondition: concurrency.Precondition | None = None,
) -> Review:
    """Save the reviewer's draft (only what is given changes); with `submit`, every criterion must be
    scored and a recommendation given, and the review is final from then on. With a `precondition`
    (`If-Match`, the form's version) only onto the draft the reviewer read (another tab may have saved
    since): else 412 and nothing changes."""
    ensure_sees_assignment(user, assignment)
    if scores is not None and not isinstance(scores, dict):
        raise Invalid(_("Invalid input."), fields={"scores": [_("Give scores by criterion code.")]})
    with transaction.atomic():
        review_round = ReviewRound.objects.select_for_update().get(pk=assignment.round_id)
        locked = ReviewAssignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
        _ensure_writable(locked, user, precondition)
        criteria = {c.code: c for c in review_round.criteria.all()}
        changes, errors = scoring.parse_scores(scores, criteria)
        errors |= scoring.recommendation_errors(recommendation)
        if errors:
            raise Invalid(_("Invalid input."), fields=errors)
        review, _created = Review.objects.get_or_create(assignment=locked)
        saved = _write_scores(review, criteria, changes)
        if recommendation is not None:
            review.recommendation = recommendation
        if comment is not None:
            review.comment = str(comment)
        if submit:
            missing = scoring.missing_for_submission(criteria, saved, review.recommendation)
            if missing:
                raise Invalid(_("The review is not complete."), fields=missing)
            review.submitted_at = timezone.now()
        review.save()
        if submit:
            _submitted(review, locked, review_round, user)
    return review
