"""The scoring parser: what a reviewer sends (scores by criterion code, a recommendation) read against
the round's criteria, with every problem named by its field. No query: the service gives it the
criteria it has loaded and writes what comes back."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from workflows.review.models import Recommendation, RoundCriterion

Errors = dict[str, list[str]]


def parse_score(criterion: RoundCriterion, value) -> Decimal | None:
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


def _change(criterion: RoundCriterion, entry) -> dict:
    """What one criterion's entry changes: its score (parsed) and/or its comment; ValueError for a
    score that is no number on the criterion's scale and step."""
    if not isinstance(entry, dict):
        entry = {"score": entry}
    change = {}
    if "score" in entry:
        change["score"] = parse_score(criterion, entry["score"])
    if "comment" in entry:
        change["comment"] = str(entry["comment"] or "")
    return change


def parse_scores(scores: dict | None, criteria: dict[str, RoundCriterion]) -> tuple[dict[str, dict], Errors]:
    """(changes by criterion code, errors by field `scores.<code>`) for `scores`, a dict of code ->
    score or {"score", "comment"}; only what is given changes."""
    errors: Errors = {}
    changes: dict[str, dict] = {}
    for code, entry in (scores or {}).items():
        criterion = criteria.get(code)
        if criterion is None:
            errors[f"scores.{code}"] = [_("There is no criterion %(code)s.") % {"code": code}]
            continue
        try:
            changes[code] = _change(criterion, entry)
        except ValueError as error:
            errors[f"scores.{code}"] = [str(error)]
    return changes, errors


def recommendation_errors(recommendation: str | None) -> Errors:
    """A recommendation given must be one of the choices (or empty: none yet)."""
    if recommendation is None or recommendation in {*Recommendation.values, ""}:
        return {}
    return {
        "recommendation": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Recommendation.values)}]
    }


def missing_for_submission(criteria, scores: dict, recommendation: str) -> Errors:
    """What a review still lacks to be submitted: a score for every criterion (`scores`: code -> the
    saved score row) and a recommendation."""
    missing = {
        f"scores.{code}": [_("A score is needed to submit.")]
        for code in criteria
        if scores.get(code) is None or scores[code].score is None
    }
    if not recommendation:
        missing["recommendation"] = [_("A recommendation is needed to submit.")]
    return missing
