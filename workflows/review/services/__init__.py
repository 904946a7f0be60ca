"""Every write of expert review goes through one function here: rounds (open, close), assignments
(invite, accept with the declaration, decline, withdraw) and reviews (the draft, its submission).

Each locks the round row first (then the assignment), so two writes on one round run one after the
other: of two people racing the same step one wins and the other gets 409, "all reviews are in" is
noticed exactly by the write that completes the round, and nothing joins a round while it closes.
"""

from workflows.review.services.assignments import assign_reviewer, transition_assignment
from workflows.review.services.refusals import not_permitted
from workflows.review.services.reviews import review_tag, save_review
from workflows.review.services.rounds import close_round, open_round

__all__ = [
    "assign_reviewer",
    "close_round",
    "not_permitted",
    "open_round",
    "review_tag",
    "save_review",
    "transition_assignment",
]
