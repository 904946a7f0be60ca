"""The aggregate on known numbers: the EU 0–5 half-point rubric and a development agency's 100 points."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from workflows.review.aggregate import aggregate, disagreement_limit


def criterion(code, *, low=0, high=5, threshold=3, weight=1):
    return SimpleNamespace(
        code=code,
        title=code.title(),
        scale_min=D(low),
        scale_max=D(high),
        threshold=threshold,
        weight=D(weight),
    )


EU = [criterion("excellence"), criterion("impact"), criterion("implementation")]
AGENCY = [
    criterion("relevance", high=100, threshold=None, weight="0.30"),
    criterion("methodology", high=100, threshold=None, weight="0.40"),
    criterion("sustainability", high=100, threshold=None, weight="0.30"),
]


def scores(codes, *rows):
    return [dict(zip(codes, (D(str(v)) for v in row), strict=True)) for row in rows]


def test_eu_rubric_passes_with_means_thresholds_and_a_disagreement_on_impact():
    reviews = scores(["excellence", "impact", "implementation"], (4.5, 3.5, 3), (3.5, 2.5, 4), (4, 4.5, 3.5))
    result = aggregate(EU, reviews, D(10)).as_dict()
    by_code = {c["code"]: c for c in result["criteria"]}
    keys = ("mean", "min", "max", "passed", "disagreement", "count")
    assert {k: by_code["excellence"][k] for k in keys} == {
        "mean": D("4.00"),
        "min": D("3.5"),
        "max": D("4.5"),
        "passed": True,
        "disagreement": False,
        "count": 3,
    }
    assert (by_code["impact"]["mean"], by_code["impact"]["min"], by_code["impact"]["max"]) == (
        D("3.50"),
        D("2.5"),
        D("4.5"),
    )
    assert by_code["impact"]["disagreement"] is True  # 4.5 − 2.5 = 2 points on a 0–5 scale
    assert (by_code["implementation"]["mean"], by_code["implementation"]["passed"]) == (D("3.50"), True)
    assert result["total"] == D("11.00")
    assert (result["total_passed"], result["passed"], result["disagreement"]) == (True, True, True)


def test_eu_rubric_fails_each_threshold_below_three_and_the_overall_below_ten():
    reviews = scores(["excellence", "impact", "implementation"], (3, 2.5, 3), (2.5, 2, 3.5))
    result = aggregate(EU, reviews, D(10))
    by_code = {c.code: c for c in result.criteria}
    assert (by_code["excellence"].mean, by_code["excellence"].passed) == (D("2.75"), False)
    assert (by_code["impact"].mean, by_code["impact"].passed) == (D("2.25"), False)
    assert (by_code["implementation"].mean, by_code["implementation"].passed) == (D("3.25"), True)
    assert result.as_dict()["total"] == D("8.25")
    assert (result.total_passed, result.passed, result.disagreement) == (False, False, False)


def test_a_total_above_ten_still_fails_when_one_criterion_misses_its_threshold():
    reviews = scores(["excellence", "impact", "implementation"], (5, 2.5, 5))
    result = aggregate(EU, reviews, D(10))
    assert (result.total, result.total_passed, result.passed) == (D("12.5"), True, False)


def test_agency_rubric_weighted_total_against_the_pass_mark_of_65():
    reviews = scores(["relevance", "methodology", "sustainability"], (80, 70, 60), (70, 50, 66))
    result = aggregate(AGENCY, reviews, D(65)).as_dict()
    by_code = {c["code"]: c for c in result["criteria"]}
    assert [by_code[c]["mean"] for c in ("relevance", "methodology", "sustainability")] == [
        D("75.00"),
        D("60.00"),
        D("63.00"),
    ]
    assert [by_code[c]["disagreement"] for c in ("relevance", "methodology", "sustainability")] == [
        False,  # 10 points apart
        True,  # 20 points apart
        False,  # 6 points apart
    ]
    assert by_code["relevance"]["passed"] is None  # no per-criterion threshold on this rubric
    assert result["total"] == D("65.40")  # 75×0.3 + 60×0.4 + 63×0.3
    assert (result["total_passed"], result["passed"]) == (True, True)


def test_agency_rubric_below_the_pass_mark_fails():
    reviews = scores(["relevance", "methodology", "sustainability"], (70, 60, 60))
    result = aggregate(AGENCY, reviews, D(65))
    assert (result.total, result.total_passed, result.passed) == (D("63.0"), False, False)


@pytest.mark.parametrize(
    "low, high, limit", [(0, 5, D(2)), (1, 10, D(2)), (0, 100, D(15)), (0, 20, D(3)), (0, 10, D(2))]
)
def test_the_disagreement_rule_is_two_points_up_to_a_ten_point_span_else_fifteen_percent(low, high, limit):
    assert disagreement_limit(D(low), D(high)) == limit


@pytest.mark.parametrize("spread, flagged", [("1.5", False), ("2", True)])
def test_disagreement_starts_at_exactly_two_points_on_the_eu_scale(spread, flagged):
    result = aggregate(EU[:1], [{"excellence": D(3)}, {"excellence": D(3) + D(spread)}])
    assert result.criteria[0].disagreement is flagged


@pytest.mark.parametrize("spread, flagged", [(14, False), (15, True)])
def test_disagreement_starts_at_fifteen_points_on_a_hundred_point_scale(spread, flagged):
    result = aggregate(AGENCY[:1], [{"relevance": D(50)}, {"relevance": D(50 + spread)}])
    assert result.criteria[0].disagreement is flagged


def test_no_reviews_gives_no_total_and_no_verdict():
    result = aggregate(EU, [], D(10)).as_dict()
    assert (result["reviews"], result["total"], result["passed"]) == (0, None, None)
    assert all(c["mean"] is None and c["passed"] is None for c in result["criteria"])
