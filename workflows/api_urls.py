from django.urls import include, path
from rest_framework.routers import SimpleRouter

from workflows.api import ProposalDocumentsView, ProposalViewSet
from workflows.discussion.api import CommentViewSet, ProposalCommentsView
from workflows.review.api import ProposalReviewRoundsView, ReviewAssignmentViewSet, ReviewRoundViewSet

router = SimpleRouter()
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("review-rounds", ReviewRoundViewSet, basename="review-round")
router.register("review-assignments", ReviewAssignmentViewSet, basename="review-assignment")
router.register("comments", CommentViewSet, basename="comment")

urlpatterns = [
    path("proposals/<int:pk>/documents/", ProposalDocumentsView.as_view(), name="proposal-documents"),
    path(
        "proposals/<int:pk>/review-rounds/", ProposalReviewRoundsView.as_view(), name="proposal-review-rounds"
    ),
    path("proposals/<int:pk>/comments/", ProposalCommentsView.as_view(), name="proposal-comments"),
    path("", include(router.urls)),
]
