"""Every write of expert review goes through one function here.

Each locks the round row first (then the assignment), so two writes on one round run one after the
other: of two people racing the same step one wins and the other gets 409, "all reviews are in" is
noticed exactly by the write that completes the round, and nothing joins a round while it closes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants_office.calls.models import Rubric
from grants_office.core import concurrency
from grants_office.core.errors import Conflict, Invalid, NotFound, Reason
from grants_office.core.people import display_name
from grants_office.members.models import ExpertProfile
from workflows import access, signals
from workflows.models import Proposal
from workflows.review import permissions as can
from workflows.review.conflicts import conflicts_of
from workflows.review.models import (
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewRound,
    ReviewScore,
    RoundCriterion,
)
from workflows.states import AssignmentState, State

DEFAULT_REVIEW_DAYS = 14
MIN_REVIEW_DAYS = 2  # less time than this for a review: keep the usual two weeks (`default_due_at`)


def _not_permitted(message: str) -> Conflict:
    return Conflict(message, reasons=[Reason("not_permitted", message)], code="not_permitted")


def _round_closed() -> Conflict:
    message = _("The review round is closed.")
    return Conflict(message, reasons=[Reason("round_closed", message)], code="round_closed")


def _future(value, field: str):
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value <= timezone.now():
        raise Invalid(_("Invalid input."), fields={field: [_("The due date must be in the future.")]})
    return value


def working_days_before(moment: datetime, days: int, zone) -> datetime:
    """`days` working days (Monday to Friday) before `moment`, at the same wall-clock time in `zone`."""
    local = moment.astimezone(zone)
    day, left = local.date(), days
    while left > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone)


def default_due_at(proposal: Proposal, now: datetime | None = None) -> datetime:
    """When a round's reviews are due if the office names no date.

    Two weeks from now, or `REVIEW_DUE_MARGIN_WORKING_DAYS` working days before the deadline that
    applies to the proposal (`Proposal.deadline`, in the funder's calendar) when that is sooner, so the
    team still has days to act on the reviews. The two weeks stand when there is no call or deadline,
    and when the margin date is less than MIN_REVIEW_DAYS away or already past: a review squeezed into
    hours helps nobody, and such a round is flagged `due_after_deadline` so the office sees it.
    """
    now = now or timezone.now()
    usual = now + timedelta(days=DEFAULT_REVIEW_DAYS)
    deadline = proposal.deadline
    if deadline is None:
        return usual
    margin = working_days_before(deadline, settings.REVIEW_DUE_MARGIN_WORKING_DAYS, proposal.call.funder_tz)
    if margin < now + timedelta(days=MIN_REVIEW_DAYS):
        return usual
    return min(usual, margin)


def _after_deadline(proposal: Proposal, due_at: datetime, *, confirmed: bool) -> bool:
    """Whether `due_at` (named by the office) falls after the proposal's deadline; that needs the
    office's explicit confirmation, else a 400 on the due date."""
    deadline = proposal.deadline
    if deadline is None or due_at <= deadline:
        return False
    if not confirmed:
        raise Invalid(
            _("Invalid input."),
            fields={
                "due_at": [
                    _(
                        "The reviews would be due after the deadline (%(deadline)s). Confirm the due date "
                        "after the deadline to keep it."
                    )
                    % {"deadline": proposal.deadline_display()}
                ]
            },
        )
    return True


def _rubric_for(proposal: Proposal) -> Rubric | None:
    rubric = proposal.call.rubric if proposal.call_id and proposal.call.rubric_id else None
    return rubric or Rubric.objects.filter(is_office_default=True).first()


# --- rounds -----------------------------------------------------------------------------------------
def open_round(proposal: Proposal, user, *, due_at=None, confirm_after_deadline: bool = False) -> ReviewRound:
    """Open a round on a drafting proposal: it moves to in_review, the rubric and the latest document
    versions are fixed for the reviewers. Without `due_at` the reviews are due on `default_due_at`; a
    named date after the proposal's deadline needs `confirm_after_deadline`. Either way a round due
    after the deadline is flagged (`due_after_deadline`)."""
    if not access.can_view(user, proposal):
        raise NotFound(_("Not found."))
    if not can.can_manage_rounds(user):
        raise _not_permitted(_("Only the office opens review rounds."))
    due_at = _future(due_at, "due_at")
    # the office's own default needs no confirmation, but is flagged like a named date
    confirmed = confirm_after_deadline or due_at is None
    due_at = due_at or default_due_at(proposal)
    after_deadline = _after_deadline(proposal, due_at, confirmed=confirmed)
    rubric = _rubric_for(proposal)
    criteria = list(rubric.criteria.order_by("position", "id")) if rubric else []
    if not criteria:
        message = _("Neither the call nor the office has a rubric with criteria to review against.")
        raise Conflict(message, reasons=[Reason("no_rubric", message)], code="no_rubric")
    from documents.selectors import latest_versions

    with transaction.atomic():
        # Locks the proposal, checks drafting and the office's permission, logs the move.
        locked = services_perform_transition(proposal, user)
        number = (locked.review_rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        try:
            with transaction.atomic():
                review_round = ReviewRound.objects.create(
                    proposal=locked,
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
        if locked.document_set_id is not None:
            review_round.versions.set(latest_versions(locked.document_set))
    return review_round


def services_perform_transition(proposal: Proposal, user, name: str = "start_review", **data) -> Proposal:
    from workflows.services import perform_transition

    return perform_transition(proposal, name, user, system=True, **data)


def close_round(review_round: ReviewRound, user, *, feedback: str) -> ReviewRound:
    """Close a round whose assignments have all ended; the proposal goes back to drafting and the team
    gets the office's feedback with the anonymised reviews."""
    if not access.can_view(user, review_round.proposal):
        raise NotFound(_("Not found."))
    if not can.can_manage_rounds(user):
        raise _not_permitted(_("Only the office closes review rounds."))
    feedback = (feedback or "").strip()
    if not feedback:
        raise Invalid(_("Invalid input."), fields={"feedback": [_("Write the feedback for the team.")]})
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if not locked.is_open:
            raise _round_closed()
        waiting = list(
            locked.assignments.filter(state__in=AssignmentState.AWAITING)
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
                        % {
                            "reviewer": display_name(a.reviewer),
                            "state": AssignmentState(a.state).label,
                        },
                    )
                    for a in waiting
                ],
                code="assignments_open",
            )
        proposal = Proposal.objects.get(pk=locked.proposal_id)
        # A proposal withdrawn during review has left in_review already; the round still closes.
        if proposal.state == State.IN_REVIEW:
            services_perform_transition(proposal, user, "end_review", comment=feedback)
        locked.feedback = feedback
        locked.closed_at = timezone.now()
        locked.closed_by = user
        locked.save(update_fields=["feedback", "closed_at", "closed_by"])
        signals.review_round_closed.send(sender=ReviewRound, review_round=locked, by=user)
    return locked


# --- assignments ------------------------------------------------------------------------------------
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
        raise _not_permitted(_("Only the office assigns reviewers."))
    if not ExpertProfile.objects.filter(user=reviewer, is_active=True, user__is_active=True).exists():
        raise Invalid(
            _("Invalid input."),
            fields={"reviewer": [_("Only an active expert with an expert profile can review.")]},
        )
    due_at = _future(due_at, "due_at")
    after_deadline = due_at is not None and _after_deadline(
        proposal, due_at, confirmed=confirm_after_deadline
    )
    reasons = conflicts_of(reviewer, proposal)
    if reasons:
        raise Conflict(
            _("%(reviewer)s has a conflict of interest: %(reasons)s")
            % {"reviewer": display_name(reviewer), "reasons": " ".join(reasons)},
            reasons=[Reason("conflict_of_interest", reason) for reason in reasons],
            code="conflict_of_interest",
        )
    already = Conflict(
        _("This reviewer is already assigned in this round."),
        reasons=[Reason("already_assigned", _("This reviewer is already assigned in this round."))],
        code="already_assigned",
    )
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if not locked.is_open:
            raise _round_closed()
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


def _after_assignment_ended(review_round: ReviewRound) -> None:
    """Tell once the round has all it will get: every assignment ended and at least one review in."""
    states = list(review_round.assignments.values_list("state", flat=True))
    if states and all(s in AssignmentState.ENDED for s in states) and AssignmentState.SUBMITTED in states:
        signals.all_reviews_in.send(sender=ReviewRound, review_round=review_round)


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
    from workflows.review.selectors import assignments_visible_to

    if not assignments_visible_to(user).filter(pk=assignment.pk).exists():
        raise NotFound(_("Not found."))
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
            raise _round_closed()
        cleaned = _clean_declaration(data) if name == "accept" else {}
        source = locked.state
        getattr(locked, name)(by=user, description=comment, **cleaned)
        locked.save()
        if locked.state in (AssignmentState.DECLINED, AssignmentState.WITHDRAWN):
            _after_assignment_ended(review_round)
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


# --- reviews ----------------------------------------------------------------------------------------
def _parse_score(criterion: RoundCriterion, value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_("Give a number."))
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValueError(_("Give a number.")) from error
    if not score.is_finite():
        raise ValueError(_("Give a number."))
    error = criterion.score_error(score)
    if error:
        raise ValueError(error)
    return score


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
    from workflows.review.selectors import assignments_visible_to

    if not assignments_visible_to(user).filter(pk=assignment.pk).exists():
        raise NotFound(_("Not found."))
    if scores is not None and not isinstance(scores, dict):
        raise Invalid(_("Invalid input."), fields={"scores": [_("Give scores by criterion code.")]})
    with transaction.atomic():
        review_round = ReviewRound.objects.select_for_update().get(pk=assignment.round_id)
        locked = ReviewAssignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
        if not can.invited_reviewer(user, locked):
            raise _not_permitted(_("Only the assigned reviewer writes the review."))
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
        criteria = {c.code: c for c in review_round.criteria.all()}
        errors: dict[str, list[str]] = {}
        changes: dict[str, dict] = {}
        for code, entry in (scores or {}).items():
            criterion = criteria.get(code)
            if criterion is None:
                errors[f"scores.{code}"] = [_("There is no criterion %(code)s.") % {"code": code}]
                continue
            if not isinstance(entry, dict):
                entry = {"score": entry}
            change = {}
            if "score" in entry:
                try:
                    change["score"] = _parse_score(criterion, entry["score"])
                except ValueError as error:
                    errors[f"scores.{code}"] = [str(error)]
                    continue
            if "comment" in entry:
                change["comment"] = str(entry["comment"] or "")
            changes[code] = change
        if recommendation is not None and recommendation not in {*Recommendation.values, ""}:
            errors["recommendation"] = [
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(Recommendation.values)}
            ]
        if errors:
            raise Invalid(_("Invalid input."), fields=errors)
        review, _created = Review.objects.get_or_create(assignment=locked)
        existing = {s.criterion.code: s for s in review.scores.select_related("criterion")}
        for code, change in changes.items():
            row = existing.get(code) or ReviewScore(review=review, criterion=criteria[code])
            for name, value in change.items():
                setattr(row, name, value)
            row.save()
            existing[code] = row
        if recommendation is not None:
            review.recommendation = recommendation
        if comment is not None:
            review.comment = str(comment)
        if submit:
            missing = {
                f"scores.{code}": [_("A score is needed to submit.")]
                for code in criteria
                if existing.get(code) is None or existing[code].score is None
            }
            if not review.recommendation:
                missing["recommendation"] = [_("A recommendation is needed to submit.")]
            if missing:
                raise Invalid(_("The review is not complete."), fields=missing)
            review.submitted_at = timezone.now()
        review.save()
        if submit:
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
            _after_assignment_ended(review_round)
    return review
