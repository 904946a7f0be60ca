"""`GET /api/v1/review-rounds/{id}/scores/export/?format=csv|xlsx`: a round's scores as a file, for the
office. One row per assignment (reviewer, state, submission time, each criterion's score, the weighted
total, the recommendation), then the aggregate of the submitted reviews, as the round's page shows it.

A round the person does not see is 404; anyone but the office gets the refusal of the office's other
round endpoints (409 `not_permitted`). The action is declared on `ReviewRoundViewSet` (`rounds.py`).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants_office.core import audit
from grants_office.core.export_schema import export_schema
from grants_office.core.tabular import Column, export_format, export_response
from workflows.review.score_sheet import ScoreSheet, score_sheet

FILE = _("The round's scores, one row per assignment and the aggregate, as `format` asks.")
SCORES_EXPORT_SCHEMA = export_schema(FILE, refusal=_("Only the office manages review rounds."), filters=False)


def _criterion_column(criterion) -> Column:
    return Column(criterion.title, lambda row, code=criterion.code: row.scores.get(code))


def columns(sheet: ScoreSheet) -> list[Column]:
    zone = timezone.get_current_timezone_name()
    return [
        Column(_("Reviewer"), lambda row: row.reviewer),
        Column(_("State"), lambda row: row.state),
        Column(gettext("Submitted (%(zone)s)") % {"zone": zone}, lambda row: row.submitted_at),
        *[_criterion_column(criterion) for criterion in sheet.criteria],
        Column(_("Weighted total"), lambda row: row.total),
        Column(_("Recommendation"), lambda row: row.recommendation),
    ]


def export_scores(request, review_round):
    """The file, for a round the caller has found and checked is the office's to export."""
    fmt = export_format(request.query_params)
    sheet = score_sheet(review_round)
    filename = f"review-round-{review_round.pk}-scores"
    audit.record_export(request, review_round, f"{filename}.{fmt}")
    return export_response(
        [*sheet.rows, sheet.aggregate_row()],
        columns(sheet),
        fmt=fmt,
        filename=filename,
        zone=timezone.get_current_timezone(),
    )
