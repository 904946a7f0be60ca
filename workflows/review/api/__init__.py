"""The expert review API (`workflows/api_urls.py` routes it): rounds in `rounds`, assignments and reviews
in `assignments`, the answers' shapes in `serializers`."""

from workflows.review.api.assignments import ReviewAssignmentViewSet
from workflows.review.api.rounds import ProposalReviewRoundsView, ReviewRoundViewSet

__all__ = ["ProposalReviewRoundsView", "ReviewAssignmentViewSet", "ReviewRoundViewSet"]
