"""A round's consensus report as a PDF (`/review-rounds/<id>/report.pdf`), in the layout of the EU's
evaluation summary report: per criterion its description, the aggregated score on its scale against the
threshold and the reviewers' comments; then the weighted total against the overall threshold, the
disagreement note and the reviewers' overall comments.

Who gets it is who reads the round's aggregate on its page: the office at any time, the team once the
round is closed; reviewers and everyone else 404. Reviewers appear only as "Reviewer 1", "Reviewer 2",
for the office too (its page names them): the report is handed on beyond the office, as an ESR is.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grants_office.core.errors import NotFound
from grants_office.core.pdf import pdf_page
from workflows.review import permissions as can
from workflows.review import score_sheet, selectors
from workflows.views.printouts import file_stem

TEMPLATE = "workflows/review/report.html"


@login_required
@require_GET
def round_report(request, pk):
    review_round = selectors.round_for(request.user, pk)
    role = selectors.role_in_round(request.user, review_round)
    if not can.reads_consensus(role, review_round):
        raise NotFound(_("Not found."))
    proposal = review_round.proposal
    context = {
        "proposal": proposal,
        "report": score_sheet.consensus(review_round, request.user, role),
    }
    filename = f"{file_stem(proposal)}-review-round-{review_round.number}.pdf"
    return pdf_page(request, TEMPLATE, context, filename)
