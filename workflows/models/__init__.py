"""The workflows app's models, named here so Django registers them all under the app `workflows`:
proposals and their records in this package, expert review and discussion in their own packages."""

from workflows.discussion.models import Comment, CommentRevision, Mention, Visibility
from workflows.models.partners import ProposalPartner
from workflows.models.proposals import Proposal, ProposalQuerySet, deadline_choice, deadline_expression
from workflows.models.records import Consultation, Submission
from workflows.models.saved_filters import SavedFilter
from workflows.review.models import (
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewRound,
    ReviewScore,
    RoundCriterion,
)

__all__ = [
    "Comment",
    "CommentRevision",
    "Consultation",
    "Mention",
    "Proposal",
    "ProposalPartner",
    "ProposalQuerySet",
    "Recommendation",
    "Review",
    "ReviewAssignment",
    "ReviewRound",
    "ReviewScore",
    "RoundCriterion",
    "SavedFilter",
    "Submission",
    "Visibility",
    "deadline_choice",
    "deadline_expression",
]
