"""The aggregate on known numbers: the EU 0–5 half-point rubric and a development agency's 100 points,
each with its own rule for when a third assessor is needed."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from workflows.review.aggregate import PER_CRITERION, TOTALS, aggregate, disagreement_limit


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
# A KAYS-style grid: four criteria of 25 points, the total out of 100, pass mark 65.
KAYS = [criterion(code, high=25, threshold=None) for code in ("relevance", "method", "impact", "capacity")]
KAYS_CODES = [c.code for c in KAYS]


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
    result = aggregate(AGENCY, reviews, D(65), rule=TOTALS).as_dict()
    by_code = {c["code"]: c for c in result["criteria"]}
    assert [by_code[c]["mean"] for c in ("relevance", "methodology", "sustainability")] == [
        D("75.00"),
        D("60.00"),
        D("63.00"),
    ]
    # On totals, criteria are never flagged (methodology is 20 points apart).
    assert [by_code[c]["disagreement"] for c in ("relevance", "methodology", "sustainability")] == [
        False,
        False,
        False,
    ]
    assert by_code["relevance"]["passed"] is None  # no per-criterion threshold on this rubric
    assert result["total"] == D("65.40")  # 75×0.3 + 60×0.4 + 63×0.3
    assert (result["total_passed"], result["passed"]) == (True, True)
    # The assessors' own totals: 70 and 60.8, on both sides of 65.
    assert (result["total_min"], result["total_max"]) == (D("60.80"), D("70.00"))
    assert result["disagreement_rule"] == "totals"
    assert result["third_assessor_needed"] is True
    assert [r["code"] for r in result["third_assessor_reasons"]] == ["straddles_pass_mark"]


def test_agency_rubric_below_the_pass_mark_fails():
    reviews = scores(["relevance", "methodology", "sustainability"], (70, 60, 60))
    result = aggregate(AGENCY, reviews, D(65))
    assert (result.total, result.total_passed, result.passed) == (D("63.0"), False, False)


@pytest.mark.parametrize(
    "low, high, limit", [(0, 5, D(2)), (1, 10, D(2)), (0, 100, D(15)), (0, 20, D(3)), (0, 10, D(2))]
)
def test_per_criterion_without_a_gap_is_two_points_up_to_a_ten_point_span_else_fifteen_percent(
    low, high, limit
):
    assert disagreement_limit(D(low), D(high)) == limit


@pytest.mark.parametrize("low, high", [(0, 5), (0, 100)])
def test_the_rubrics_explicit_gap_wins_over_the_scale_default(low, high):
    assert disagreement_limit(D(low), D(high), D(4)) == D(4)


@pytest.mark.parametrize("spread, flagged", [("1.5", False), ("2", True)])
def test_disagreement_starts_at_exactly_two_points_on_the_eu_scale(spread, flagged):
    result = aggregate(EU[:1], [{"excellence": D(3)}, {"excellence": D(3) + D(spread)}])
    assert result.criteria[0].disagreement is flagged


@pytest.mark.parametrize("spread, flagged", [(14, False), (15, True)])
def test_per_criterion_without_a_gap_flags_fifteen_points_on_a_hundred_point_scale(spread, flagged):
    result = aggregate(AGENCY[:1], [{"relevance": D(50)}, {"relevance": D(50 + spread)}])
    assert result.criteria[0].disagreement is flagged
    assert result.third_assessor_needed is flagged


def test_no_reviews_gives_no_total_and_no_verdict():
    result = aggregate(EU, [], D(10)).as_dict()
    assert (result["reviews"], result["total"], result["passed"]) == (0, None, None)
    assert all(c["mean"] is None and c["passed"] is None for c in result["criteria"])


# --- when a third assessor is needed ----------------------------------------------------------------


def kays(*rows):
    return aggregate(KAYS, scores(KAYS_CODES, *rows), D(65), rule=TOTALS)


def test_totals_68_and_60_straddle_the_pass_mark_and_call_for_a_third_assessor():
    result = kays((17, 17, 17, 17), (15, 15, 15, 15))  # 68 and 60: only 8 apart
    assert (result.total_min, result.total_max) == (D(60), D(68))
    assert result.third_assessor_needed is True
    assert [(d.code, d.low, d.high, d.limit) for d in result.disagreements] == [
        ("straddles_pass_mark", D(60), D(68), D(65))
    ]
    assert result.as_dict()["third_assessor_reasons"] == [
        {
            "code": "straddles_pass_mark",
            "criterion": None,
            "message": "The totals 60 and 68 are on both sides of the pass mark 65.",
        }
    ]


def test_totals_80_and_66_on_four_25_point_criteria_are_not_flagged():
    rows = ((20, 20, 20, 20), (20, 20, 13, 13))  # 80 and 66: 14 apart, both pass 65
    result = kays(*rows)
    assert (result.total_min, result.total_max) == (D(66), D(80))
    assert (result.third_assessor_needed, result.disagreements) == (False, [])
    assert not any(c.disagreement for c in result.criteria)  # 7 points apart on two criteria
    # The same scores judged per criterion (15 % of a 25-point scale) would have been flagged.
    assert aggregate(KAYS, scores(KAYS_CODES, *rows), D(65), rule=PER_CRITERION).third_assessor_needed


def test_totals_80_and_65_are_fifteen_points_apart_and_call_for_a_third_assessor():
    result = kays((20, 20, 20, 20), (20, 20, 13, 12))
    assert [(d.code, d.low, d.high, d.limit) for d in result.disagreements] == [
        ("totals_gap", D(65), D(80), D(15))  # 65 passes: no straddle
    ]
    assert result.disagreements[0].message == "The totals 65 and 80 are 15 points apart (limit 15)."


def test_totals_with_the_rubrics_own_gap():
    rows = ((20, 20, 20, 20), (18, 18, 17, 17))  # 80 and 70
    assert aggregate(KAYS, scores(KAYS_CODES, *rows), D(65), rule=TOTALS).third_assessor_needed is False
    result = aggregate(KAYS, scores(KAYS_CODES, *rows), D(65), rule=TOTALS, gap=D(10))
    assert [d.code for d in result.disagreements] == ["totals_gap"]
    assert result.as_dict()["disagreement_gap"] == D(10)


def test_totals_of_three_assessors_compare_the_highest_and_the_lowest():
    result = kays((18, 18, 18, 18), (17, 17, 18, 18), (16, 16, 16, 16))  # 72, 70, 64
    assert (result.total_min, result.total_max) == (D(64), D(72))
    assert [d.code for d in result.disagreements] == ["straddles_pass_mark"]  # some pass, some fail
    assert kays((18, 18, 18, 18), (17, 17, 17, 17), (17, 17, 16, 16)).third_assessor_needed is False


def test_totals_need_two_assessors_and_without_a_pass_mark_only_the_gap_counts():
    assert kays((17, 17, 17, 17)).third_assessor_needed is False
    rows = scores(KAYS_CODES, (17, 17, 17, 17), (15, 15, 15, 15))  # 68 and 60
    assert aggregate(KAYS, rows, None, rule=TOTALS).third_assessor_needed is False


@pytest.mark.parametrize("second, flagged", [((3, 3, 5), True), ((3, 3, 4.5), False), ((5, 1, 3), True)])
def test_eu_per_criterion_with_a_gap_of_two_on_zero_to_five(second, flagged):
    codes = ["excellence", "impact", "implementation"]
    result = aggregate(EU, scores(codes, (3, 3, 3), second), D(10), rule=PER_CRITERION, gap=D(2))
    assert result.third_assessor_needed is flagged
    assert result.as_dict()["disagreement_rule"] == "per_criterion"
    if flagged:
        assert all(d.code == "criterion_gap" for d in result.disagreements)
        assert {d.criterion for d in result.disagreements} == {
            c.code for c in result.criteria if c.disagreement
        }


def test_a_per_criterion_reason_names_the_criterion():
    result = aggregate(EU, scores(["excellence", "impact", "implementation"], (4, 3, 3), (2, 3, 3.5)), gap=2)
    assert [d.as_dict() for d in result.disagreements] == [
        {
            "code": "criterion_gap",
            "criterion": "excellence",
            "message": "Excellence: the scores 2 and 4 are 2 points apart (limit 2).",
        }
    ]


def test_per_criterion_with_the_rubrics_gap_on_a_hundred_point_scale():
    rows = [{"relevance": D(50)}, {"relevance": D(60)}]
    assert aggregate(AGENCY[:1], rows).third_assessor_needed is False  # 15 % default: 15 points
    assert aggregate(AGENCY[:1], rows, gap=D(10)).third_assessor_needed is True
