"""Domain signals: workflows tells, notifications listens.

Sent inside the transaction of the change: a receiver may only write rows in it (the notifications
outbox), never do I/O or anything that must not roll back with the change.
"""

from django.dispatch import Signal

# proposal, transition, source, target, by, comment
proposal_transitioned = Signal()
# proposal, by
proposal_created = Signal()
# consultation, by
consultation_scheduled = Signal()

# --- expert review (sender the model class) ---------------------------------------------------------
# assignment, by
reviewer_assigned = Signal()
# assignment, transition, source, target, by, comment (also for `submit`, reached by submitting the review)
assignment_transitioned = Signal()
# review, by
review_submitted = Signal()
# review_round: every assignment ended and at least one review is in
all_reviews_in = Signal()
# review_round, by
review_round_closed = Signal()

# --- discussion ---------------------------------------------------------------------------------------
# comment, by
comment_posted = Signal()
# comment, user, by: one per person mentioned (only people who can see the comment)
comment_mentioned = Signal()
