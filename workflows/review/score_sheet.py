"""A round's scores on paper and in a spreadsheet: the reads behind the office's scores export
(`review/api/scores.py`) and the consensus report (`review/views/report.py`).

Both use the round's one aggregate (`selectors.aggregate_of`, over the submitted reviews) and the one
rule for the labels "Reviewer 1", "Reviewer 2" (`selectors.reviews_visible_in`). A fixed number of
queries whatever the number of assignments, reviews and scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import ngettext

from grants_office.core.people import display_name
from workflows.review import aggregate as agg
from workflows.review import selectors
from workflows.review.models import Review, ReviewAssignment, ReviewRound, RoundCriterion
from workflows.roles import Role


def _scores_of(review: Review | None) -> dict[str, Decimal | None]:
    if review is None:
        return {}
    return {score.criterion.code: score.score for score in review.scores.all()}


def reviewer_total(criteria: list[RoundCriterion], scores: dict[str, Decimal | None]) -> Decimal | None:
    """One reviewer's weighted total, by the aggregate's own rule (None until every criterion is scored)."""
    return agg.shown(agg.aggregate(criteria, [scores]).total) if scores else None


# --- the office's sheet: one row per assignment and the aggregate ----------------------------------------


@dataclass
class SheetRow:
    reviewer: str
    state: str = ""
    submitted_at: object = None
    scores: dict[str, Decimal | None] = field(default_factory=dict)
    total: Decimal | None = None
    recommendation: str = ""


@dataclass
class ScoreSheet:
    round: ReviewRound
    criteria: list[RoundCriterion]
    rows: list[SheetRow]
    aggregate: agg.Aggregate

    def aggregate_row(self) -> SheetRow:
        """The means of the submitted reviews and their weighted total, as the round's page shows them."""
        count = self.aggregate.reviews
        label = ngettext(
            "Aggregate of %(count)d submitted review", "Aggregate of %(count)d submitted reviews", count
        ) % {"count": count}
        return SheetRow(
            reviewer=label,
            scores={c.code: agg.shown(c.mean) for c in self.aggregate.criteria},
            total=agg.shown(self.aggregate.total),
        )


def _row(assignment: ReviewAssignment, review: Review | None, criteria) -> SheetRow:
    scores = _scores_of(review)
    return SheetRow(
        reviewer=display_name(assignment.reviewer),
        state=str(assignment.get_state_display()),
        submitted_at=review.submitted_at if review else None,
        scores=scores,
        total=reviewer_total(criteria, scores),
        recommendation=str(review.get_recommendation_display()) if review and review.recommendation else "",
    )


def score_sheet(review_round: ReviewRound) -> ScoreSheet:
    """Every assignment of the round, in the order reviewers were invited, with their review (drafts
    too: the state says so) and the aggregate of the submitted ones. For the office only."""
    criteria = list(review_round.criteria.all())
    reviews = selectors.all_reviews(review_round)
    by_assignment = {review.assignment_id: review for review in reviews}
    assignments = (
        ReviewAssignment.objects.filter(round=review_round).select_related("reviewer").order_by("id")
    )
    rows = [_row(a, by_assignment.get(a.pk), criteria) for a in assignments]
    return ScoreSheet(review_round, criteria, rows, selectors.aggregate_of(review_round, reviews))


# --- the consensus report (the layout of the EU's evaluation summary report) -----------------------------


@dataclass
class LabelledComment:
    label: str
    text: str


@dataclass
class CriterionReport:
    criterion: RoundCriterion
    result: agg.CriterionResult
    comments: list[LabelledComment]


@dataclass
class OverallComment:
    label: str
    recommendation: str
    text: str


@dataclass
class ConsensusReport:
    round: ReviewRound
    criteria: list[CriterionReport]
    aggregate: agg.Aggregate
    overall: list[OverallComment]


def _comments_on(criterion: RoundCriterion, shown: list) -> list[LabelledComment]:
    return [
        LabelledComment(item.label, score.comment.strip())
        for item in shown
        for score in item.review.scores.all()
        if score.criterion_id == criterion.pk and score.comment.strip()
    ]


def consensus(review_round: ReviewRound, user, role: Role) -> ConsensusReport:
    """The submitted reviews of the round as one report, each reviewer only as "Reviewer n" (for the
    office too: the report travels beyond the office, as the EU's summary report does)."""
    shown = [
        item for item in selectors.reviews_visible_in(review_round, user, role) if item.review.is_submitted
    ]
    aggregate = selectors.aggregate_of(review_round, [item.review for item in shown])
    results = {result.code: result for result in aggregate.criteria}
    criteria = [
        CriterionReport(criterion, results[criterion.code], _comments_on(criterion, shown))
        for criterion in review_round.criteria.all()
    ]
    overall = [
        OverallComment(
            item.label,
            str(item.review.get_recommendation_display()) if item.review.recommendation else "",
            item.review.comment.strip(),
        )
        for item in shown
    ]
    return ConsensusReport(review_round, criteria, aggregate, overall)
