"""What a round's submitted reviews add up to: pure functions over plain numbers, no database.

Per criterion: mean, min, max, pass/fail against its threshold, and whether reviewers disagree enough
to call for a consensus. Overall: the weighted total (sum of mean × weight) against the overall
threshold. Means are compared unrounded; what is shown is rounded to two places.

Disagreement rule: max − min ≥ 2 points when the scale spans 10 points or fewer (the EU 0–5 scale),
otherwise ≥ 15 % of the span (15 points on a 100-point scale), as evaluators' consensus rules do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SMALL_SCALE_SPAN = Decimal(10)
SMALL_SCALE_SPREAD = Decimal(2)
LARGE_SCALE_SHARE = Decimal("0.15")
CENT = Decimal("0.01")


def shown(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def disagreement_limit(scale_min: Decimal, scale_max: Decimal) -> Decimal:
    """The spread from which reviewers are said to disagree on a criterion of this scale."""
    span = Decimal(scale_max) - Decimal(scale_min)
    if span <= SMALL_SCALE_SPAN:
        return SMALL_SCALE_SPREAD
    return span * LARGE_SCALE_SHARE


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
    disagreement: bool

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
    disagreement: bool = False

    def as_dict(self) -> dict:
        return {
            "reviews": self.reviews,
            "criteria": [c.as_dict() for c in self.criteria],
            "total": shown(self.total),
            "overall_threshold": self.overall_threshold,
            "total_passed": self.total_passed,
            "passed": self.passed,
            "disagreement": self.disagreement,
        }


def criterion_result(criterion, scores: list[Decimal]) -> CriterionResult:
    """`criterion` needs code, title, scale_min, scale_max, threshold and weight."""
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
        disagreement=high - low >= disagreement_limit(criterion.scale_min, criterion.scale_max),
    )


def aggregate(
    criteria: Iterable, reviews: Iterable[Mapping[str, Decimal | None]], overall_threshold=None
) -> Aggregate:
    """`reviews` are the submitted ones, each mapping criterion code to its score."""
    criteria = list(criteria)
    reviews = list(reviews)
    results = [
        criterion_result(c, [r[c.code] for r in reviews if r.get(c.code) is not None]) for c in criteria
    ]
    threshold = None if overall_threshold is None else Decimal(overall_threshold)
    result = Aggregate(reviews=len(reviews), criteria=results, overall_threshold=threshold)
    if not reviews or any(r.mean is None for r in results):
        return result
    result.total = sum((r.mean * r.weight for r in results), Decimal(0))
    result.total_passed = None if threshold is None else result.total >= threshold
    verdicts = [r.passed for r in results if r.passed is not None]
    if result.total_passed is not None:
        verdicts.append(result.total_passed)
    result.passed = all(verdicts) if verdicts else None
    result.disagreement = any(r.disagreement for r in results)
    return result
