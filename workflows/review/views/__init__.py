"""Web pages of expert review: the review section of a proposal and a round's own page (`section`), and
the reviewer's "My reviews" and assignment pages (`reviewer`).

Thin, like the other pages: reads through `workflows.review.selectors` (and `interests.suggestions`),
writes through `workflows.review.services` (`steps.perform_with_form`). Domain errors come back as
pages: `NotFound` is 404 (`DomainErrorMiddleware`), `Conflict` 409 with its reasons, `Invalid` 400 with
the form and each error next to its field. `workflows/urls.py` names each page.
"""

from workflows.review.views.report import round_report
from workflows.review.views.reviewer import accept, assignment_detail, decline, my_reviews, save_review
from workflows.review.views.section import (
    assign,
    close_round,
    open_round,
    review_section,
    round_detail,
    withdraw,
)

__all__ = [
    "accept",
    "assign",
    "assignment_detail",
    "close_round",
    "decline",
    "my_reviews",
    "open_round",
    "review_section",
    "round_detail",
    "round_report",
    "save_review",
    "withdraw",
]
