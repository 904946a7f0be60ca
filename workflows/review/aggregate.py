"""What a round's submitted reviews add up to: pure functions over plain numbers, no database.

Per criterion: mean, min, max, pass/fail against its threshold. Overall: the weighted total (sum of
mean × weight) against the overall threshold (the pass mark). Means are compared unrounded; what is
shown is rounded to two places.

Whether the assessors disagree enough to call for a third one is the rubric's rule, copied to the round:

- per criterion (EU style): max − min ≥ the gap on any criterion. Without an explicit gap: 2 points when
  the criterion's scale spans 10 points or fewer (the EU 0–5 scale), else 15 % of its span.
- on totals (development agencies, KAYS practice): each assessor's weighted total is compared, not the
  criteria: the highest and lowest totals differ by ≥ the gap (15 points without one), or they straddle
  the pass mark (at least one total reaches it and another does not). Criteria are not flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from grants_office.calls.models import DisagreementRule

# the rubric's choices (an enum, no database)
PER_CRITERION = DisagreementRule.PER_CRITERION
TOTALS = DisagreementRule.TOTALS
SMALL_SCALE_SPAN = Decimal(10)
SMALL_SCALE_SPREAD = Decimal(2)
LARGE_SCALE_SHARE = Decimal("0.15")
DEFAULT_TOTALS_GAP = Decimal(15)
CENT = Decimal("0.01")


def shown(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """A number as people write it in a sentence: 15, 2.5, 65.4."""
    text = format(shown(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def disagreement_limit(scale_min: Decimal, scale_max: Decimal, gap: Decimal | None = None) -> Decimal:
    """The spread from which reviewers are said to disagree on a criterion of this scale: the rubric's
    explicit gap, else 2 points on spans up to 10 points and 15 % of larger spans."""
    if gap is not None:
        return Decimal(gap)
    span = Decimal(scale_max) - Decimal(scale_min)
    if span <= SMALL_SCALE_SPAN:
        return SMALL_SCALE_SPREAD
    return span * LARGE_SCALE_SHARE


@dataclass(frozen=True)
class Disagreement:
    """Why a third assessor is needed: `code` is stable (criterion_gap, totals_gap, straddles_pass_mark)."""

    code: str
    low: Decimal
    high: Decimal
    limit: Decimal
    criterion: str | None = None  # the criterion's code (criterion_gap)
    title: str = ""

    @property
    def message(self) -> str:
        values = {"low": _plain(self.low), "high": _plain(self.high), "limit": _plain(self.limit)}
        if self.code == "criterion_gap":
            return _(
                "%(criterion)s: the scores %(low)s and %(high)s are %(gap)s points apart (limit %(limit)s)."
            ) % {**values, "criterion": self.title, "gap": _plain(self.high - self.low)}
        if self.code == "totals_gap":
            return _("The totals %(low)s and %(high)s are %(gap)s points apart (limit %(limit)s).") % {
                **values,
                "gap": _plain(self.high - self.low),
            }
        return _("The totals %(low)s and %(high)s are on both sides of the pass mark %(limit)s.") % values

    def as_dict(self) -> dict:
        return {"code": self.code, "criterion": self.criterion, "message": self.message}


@dataclass
class CriterionResult:
    code: str
    title: str
    count: int
    mean: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    threshold: Decimal | None
    weight: Decimal
    passed: bool | None  # None: no threshold, or no scores yet
    disagreement: bool  # only under the per-criterion rule

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "count": self.count,
            "mean": shown(self.mean),
            "min": self.minimum,
            "max": self.maximum,
            "threshold": self.threshold,
            "weight": self.weight,
            "passed": self.passed,
            "disagreement": self.disagreement,
        }


@dataclass
class Aggregate:
    reviews: int
    criteria: list[CriterionResult] = field(default_factory=list)
    total: Decimal | None = None
    overall_threshold: Decimal | None = None
    total_passed: bool | None = None
    passed: bool | None = None  # every threshold that exists is met
    rule: str = PER_CRITERION
    gap: Decimal | None = None  # the rubric's explicit gap; None: the default of the rule
    total_min: Decimal | None = None  # the lowest and highest assessor's weighted total
    total_max: Decimal | None = None
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def totals_gap(self) -> Decimal:
        """The gap between totals that calls for a third assessor under the totals rule."""
        return DEFAULT_TOTALS_GAP if self.gap is None else self.gap

    @property
    def third_assessor_needed(self) -> bool:
        return bool(self.disagreements)

    # The older name, kept for the pages and clients that read it.
    disagreement = third_assessor_needed

    def as_dict(self) -> dict:
        return {
            "reviews": self.reviews,
            "criteria": [c.as_dict() for c in self.criteria],
            "total": shown(self.total),
            "total_min": shown(self.total_min),
            "total_max": shown(self.total_max),
            "overall_threshold": self.overall_threshold,
            "total_passed": self.total_passed,
            "passed": self.passed,
            "disagreement_rule": self.rule,
            "disagreement_gap": self.gap,
            "disagreement": self.third_assessor_needed,
            "third_assessor_needed": self.third_assessor_needed,
            "third_assessor_reasons": [d.as_dict() for d in self.disagreements],
        }


def criterion_result(criterion, scores: list[Decimal], *, limit: Decimal | None = None) -> CriterionResult:
    """`criterion` needs code, title, scale_min, scale_max, threshold and weight. `limit`: the spread
    that flags a disagreement on it (None: not judged per criterion)."""
    weight = Decimal(criterion.weight)
    threshold = None if criterion.threshold is None else Decimal(criterion.threshold)
    if not scores:
        return CriterionResult(
            criterion.code, criterion.title, 0, None, None, None, threshold, weight, None, False
        )
    values = [Decimal(s) for s in scores]
    mean = sum(values, Decimal(0)) / len(values)
    low, high = min(values), max(values)
    return CriterionResult(
        code=criterion.code,
        title=criterion.title,
        count=len(values),
        mean=mean,
        minimum=low,
        maximum=high,
        threshold=threshold,
        weight=weight,
        passed=None if threshold is None else mean >= threshold,
        disagreement=limit is not None and len(values) > 1 and high - low >= limit,
    )


def _totals_disagreements(totals: list[Decimal], gap: Decimal, pass_mark: Decimal | None) -> list:
    if len(totals) < 2:
        return []
    low, high = min(totals), max(totals)
    found = []
    if high - low >= gap:
        found.append(Disagreement("totals_gap", low, high, gap))
    if pass_mark is not None and low < pass_mark <= high:
        found.append(Disagreement("straddles_pass_mark", low, high, pass_mark))
    return found


def _assessor_totals(criteria: list, reviews: list) -> list[Decimal]:
    """Each assessor's own weighted total, for those who scored every criterion."""
    return [
        sum((Decimal(r[c.code]) * Decimal(c.weight) for c in criteria), Decimal(0))
        for r in reviews
        if criteria and all(r.get(c.code) is not None for c in criteria)
    ]


def _criterion_disagreements(results: list, limits: dict) -> list[Disagreement]:
    return [
        Disagreement("criterion_gap", r.minimum, r.maximum, limits[r.code], criterion=r.code, title=r.title)
        for r in results
        if r.disagreement
    ]


def aggregate(
    criteria: Iterable,
    reviews: Iterable[Mapping[str, Decimal | None]],
    overall_threshold=None,
    *,
    rule: str = PER_CRITERION,
    gap=None,
) -> Aggregate:
    """`reviews` are the submitted ones, each mapping criterion code to its score. `rule` and `gap` are
    the round's disagreement rule (see the module's docstring)."""
    criteria = list(criteria)
    reviews = list(reviews)
    rule = TOTALS if str(rule) == TOTALS else PER_CRITERION
    gap = None if gap is None else Decimal(gap)
    per_criterion = rule == PER_CRITERION
    limits = (
        {c.code: disagreement_limit(c.scale_min, c.scale_max, gap) for c in criteria} if per_criterion else {}
    )
    results = [
        criterion_result(
            c, [r[c.code] for r in reviews if r.get(c.code) is not None], limit=limits.get(c.code)
        )
        for c in criteria
    ]
    threshold = None if overall_threshold is None else Decimal(overall_threshold)
    result = Aggregate(
        reviews=len(reviews), criteria=results, overall_threshold=threshold, rule=rule, gap=gap
    )
    if per_criterion:
        result.disagreements = _criterion_disagreements(results, limits)
    totals = _assessor_totals(criteria, reviews)
    if totals:
        result.total_min, result.total_max = min(totals), max(totals)
    if not per_criterion:
        result.disagreements = _totals_disagreements(totals, result.totals_gap, threshold)
    if not reviews or any(r.mean is None for r in results):
        return result
    result.total = sum((r.mean * r.weight for r in results), Decimal(0))
    result.total_passed = None if threshold is None else result.total >= threshold
    verdicts = [r.passed for r in results if r.passed is not None]
    if result.total_passed is not None:
        verdicts.append(result.total_passed)
    result.passed = all(verdicts) if verdicts else None
    return result
