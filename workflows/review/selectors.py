"""Read queries for expert review: each list is one query plus fixed prefetches, never one per row."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from documents.models import DocumentVersion
from grants_office.core.errors import NotFound
from grants_office.core.people import signed_in
from grants_office.members.permissions import is_office_staff
from workflows import access
from workflows.models import Proposal, ProposalPartner
from workflows.review import aggregate as agg
from workflows.review import permissions as can
from workflows.review.models import Review, ReviewAssignment, ReviewRound, ReviewScore, RoundCriterion
from workflows.roles import Role
from workflows.selectors import proposals_visible_to


def _rounds() -> QuerySet[ReviewRound]:
    """Rounds with what every page and answer of theirs reads: the rubric and the versions under review."""
    versions = DocumentVersion.objects.select_related("document").order_by("document__kind", "document_id")
    return ReviewRound.objects.select_related(
        "proposal__lead", "proposal__call", "opened_by", "closed_by"
    ).prefetch_related(
        Prefetch("criteria", queryset=RoundCriterion.objects.order_by("position", "id")),
        Prefetch("versions", queryset=versions),
    )


def rounds_visible_to(user) -> QuerySet[ReviewRound]:
    """A round is seen by whoever sees its proposal; what they see inside depends on their role."""
    visible = proposals_visible_to(user).prefetch_related(None).values("pk")
    return _rounds().filter(proposal__in=visible)


def round_for(user, pk) -> ReviewRound:
    """The round if this person sees its proposal, else `NotFound`; the answer travels with the
    proposal (`access.found_visible`), so the services this request calls do not ask again."""
    review_round = rounds_visible_to(user).filter(pk=pk).first()
    if review_round is None:
        raise NotFound(_("Not found."))
    access.found_visible(user, review_round.proposal)
    return review_round


def rounds_of(proposal) -> QuerySet[ReviewRound]:
    """The rounds of a proposal the reader sees (found through `proposals_visible_to`: not asked again),
    newest first."""
    return _rounds().filter(proposal=proposal).order_by("-number")


def role_in_round(user, review_round) -> Role | None:
    """`can.role_among` for a round whose assignments are not loaded: one query outside the office. The
    caller has already checked that the user sees the proposal."""
    if not signed_in(user) or is_office_staff(user):
        return can.role_among(user, [])
    return can.role_among(user, review_round.assignments.active().filter(reviewer=user))


def assignments_visible_to(user) -> QuerySet[ReviewAssignment]:
    """The office sees every assignment; a reviewer their own; nobody else any (names stay hidden).
    Each comes with the conflict-check brief of its proposal (`can.sees_brief` says who reads it)."""
    partners = ProposalPartner.objects.select_related("municipality", "organisation")
    assignments = (
        ReviewAssignment.objects.select_related(
            "round__proposal__lead", "round__proposal__call", "reviewer", "invited_by"
        )
        .prefetch_related(Prefetch("round__proposal__partners", queryset=partners))
        .order_by("round_id", "id")
    )
    if not signed_in(user):
        return assignments.none()
    if is_office_staff(user):
        return assignments
    return assignments.filter(reviewer=user)


# What a row of the assignments list shows of its relations: the proposal and call rows are wide (the
# summary aside, 30 columns of money, dates and texts), and building them was most of the page's time.
_PERSON = ("id", "username", "first_name", "last_name")
_LISTED_COLUMNS = (
    *(f.name for f in ReviewAssignment._meta.concrete_fields),
    "round__id",
    "round__number",
    "round__proposal_id",
    # the state too: django-fsm's concurrency check reads it when the row is built
    *(f"round__proposal__{name}" for name in ("id", "state", "title", "acronym", "summary", "call", "lead")),
    "round__proposal__lead__id",
    "round__proposal__lead__name",
    *(f"round__proposal__call__{name}" for name in ("id", "reference", "title")),
    *(f"reviewer__{name}" for name in _PERSON),
    *(f"invited_by__{name}" for name in _PERSON),
)


def listed_assignments(user) -> QuerySet[ReviewAssignment]:
    """`assignments_visible_to` with the columns a list row shows (`api.AssignmentSerializer`)."""
    return assignments_visible_to(user).only(*_LISTED_COLUMNS)


def assignment_for(user, pk) -> ReviewAssignment:
    assignment = assignments_visible_to(user).filter(pk=pk).first()
    if assignment is None:
        raise NotFound(_("Not found."))
    return assignment


def _reviews_of(review_round) -> list[Review]:
    scores = ReviewScore.objects.select_related("criterion").order_by("criterion__position", "criterion_id")
    return list(
        Review.objects.filter(assignment__round=review_round)
        .select_related("assignment__reviewer")
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by("assignment_id")
    )


@dataclass
class ShownReview:
    """A review as one person may see it: the label always, the name only for the office and oneself."""

    review: Review
    label: str | None
    show_reviewer: bool
    is_mine: bool


def _label(review_round, reviews: list[Review]) -> dict[int, str]:
    """'Reviewer 1', 'Reviewer 2', … over the submitted reviews, in the order reviewers were invited."""
    submitted = [r for r in reviews if r.is_submitted]
    return {r.pk: _("Reviewer %(number)d") % {"number": n} for n, r in enumerate(submitted, start=1)}


def reviews_visible_in(review_round, user, role: Role | None = None) -> list[ShownReview]:
    """Office: every review, drafts too. Reviewer: their own; the others' submitted ones only once their
    own is submitted. Anyone else who sees the proposal (the team): the submitted ones, anonymised, after
    the round closes."""
    role = role or role_in_round(user, review_round)
    reviews = _reviews_of(review_round)
    labels = _label(review_round, reviews)
    if role == Role.OFFICE:
        return [ShownReview(r, labels.get(r.pk), True, False) for r in reviews]
    if role == Role.REVIEWER:
        mine = next((r for r in reviews if r.assignment.reviewer_id == user.pk), None)
        shown = [ShownReview(mine, labels.get(mine.pk), True, True)] if mine else []
        if mine is not None and mine.is_submitted:
            shown += [
                ShownReview(r, labels[r.pk], False, False)
                for r in reviews
                if r.is_submitted and r is not mine
            ]
        return shown
    if review_round.is_open:
        return []
    return [ShownReview(r, labels[r.pk], False, False) for r in reviews if r.is_submitted]


def aggregate_of(review_round, reviews: list[Review]) -> agg.Aggregate:
    """The aggregate of the submitted reviews among `reviews` (already loaded with their scores)."""
    submitted = [{s.criterion.code: s.score for s in r.scores.all()} for r in reviews if r.is_submitted]
    return agg.aggregate(
        review_round.criteria.all(),
        submitted,
        review_round.overall_threshold,
        rule=review_round.disagreement_rule,
        gap=review_round.disagreement_gap,
    )


def all_reviews(review_round) -> list[Review]:
    return _reviews_of(review_round)


@dataclass
class EarlierFeedback:
    """What a reused proposal brings along from the one it came from: the funder's feedback and the
    feedback the office shared when each review round closed. Never reviewers, reviews or the aggregate."""

    proposal: object  # the earlier proposal (id, title, acronym, state, funder_feedback loaded)
    rounds: list[ReviewRound]  # closed rounds with feedback, oldest first (number, closed_at, feedback)


def earlier_feedback(proposal) -> EarlierFeedback | None:
    """The feedback of the proposal `proposal` was reused from (None: not reused, or that one deleted).
    Two queries whatever the number of rounds. Whoever sees `proposal` may read it: the same team."""
    if proposal.reused_from_id is None:
        return None
    origin = (
        Proposal.objects.alive()
        .filter(pk=proposal.reused_from_id)
        .only("pk", "title", "acronym", "state", "funder_feedback")
        .first()
    )
    if origin is None:
        return None
    rounds = list(
        ReviewRound.objects.filter(proposal_id=origin.pk, closed_at__isnull=False)
        .exclude(feedback="")
        .only("pk", "proposal_id", "number", "closed_at", "feedback")
        .order_by("number")
    )
    return EarlierFeedback(origin, rounds)
