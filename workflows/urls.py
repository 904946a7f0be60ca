"""Every page of the workflows app: `workflows:<name>`, the discussion's `workflows:discussion:<name>`."""

from django.urls import include, path

from workflows.discussion import views as discussion
from workflows.review import views as review
from workflows.views import board, consultations, documents, moves, printouts, proposals, table

app_name = "workflows"

discussion_urls = [
    path("proposals/<int:pk>/comments/", discussion.comments, name="comments"),
    path("comments/<int:pk>/edit/", discussion.edit, name="edit"),
    path("comments/<int:pk>/resolve/", discussion.resolve, name="resolve"),
]

urlpatterns = [
    path("board/", board.board, name="board"),
    path("proposals/", proposals.my_proposals, name="mine"),
    path("proposals/table/", table.table, name="table"),
    path("proposals/table/views/", table.save_view, name="table-view-save"),
    path("proposals/table/views/<int:pk>/delete/", table.delete_view, name="table-view-delete"),
    path("proposals/new/", proposals.new_idea, name="new"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/summary.pdf", printouts.summary_pdf, name="summary-pdf"),
    path("proposals/<int:pk>/moves/", moves.moves, name="moves"),
    path("proposals/<int:pk>/transitions/<slug:name>/", moves.transition, name="transition"),
    # sections of the proposal page
    path("proposals/<int:pk>/documents/", documents.section, name="documents"),
    path("proposals/<int:pk>/documents/add/", documents.add_document, name="document-add"),
    path("proposals/<int:pk>/consultations/", consultations.schedule, name="consultation-add"),
    path("proposals/<int:pk>/review/", review.review_section, name="review-section"),
    path("proposals/<int:pk>/review/open/", review.open_round, name="review-open"),
    path("", include((discussion_urls, "discussion"))),
    # expert review
    path("review-rounds/<int:pk>/", review.round_detail, name="review-round"),
    path("review-rounds/<int:pk>/report.pdf", review.round_report, name="review-round-report"),
    path("review-rounds/<int:pk>/assign/", review.assign, name="review-assign"),
    path("review-rounds/<int:pk>/close/", review.close_round, name="review-close"),
    path("reviews/", review.my_reviews, name="my-reviews"),
    path("reviews/<int:pk>/", review.assignment_detail, name="review-assignment"),
    path("reviews/<int:pk>/accept/", review.accept, name="review-accept"),
    path("reviews/<int:pk>/decline/", review.decline, name="review-decline"),
    path("reviews/<int:pk>/withdraw/", review.withdraw, name="review-withdraw"),
    path("reviews/<int:pk>/review/", review.save_review, name="review-save"),
]
