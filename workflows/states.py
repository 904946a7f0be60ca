"""The states of the workflows' machines and their named groups: the one place a set of states is
spelled out. Every group is an attribute of its enum (`State.OPEN`, `AssignmentState.AWAITING`), so
code asks `proposal.state in State.OPEN` and never lists states of its own.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """A proposal's lifecycle (docs/lifecycle.md)."""

    IDEA = "idea", _("Idea")
    CONSULTATION = "consultation", _("In consultation")
    DROPPED = "dropped", _("Dropped")
    DRAFTING = "drafting", _("Drafting")
    IN_REVIEW = "in_review", _("In review")
    READY = "ready", _("Ready to submit")
    SUBMITTED = "submitted", _("Submitted")
    AWARDED = "awarded", _("Awarded")
    RESERVE = "reserve", _("On the reserve list")
    REJECTED = "rejected", _("Rejected")
    INELIGIBLE = "ineligible", _("Ineligible")
    INVITED_STAGE2 = "invited_stage2", _("Invited to stage 2")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")

    # The groups, set below once the members exist (Enum keeps them out of the choices).
    OPEN: tuple
    PREPARATION: tuple
    BEFORE_SUBMISSION: tuple
    AFTER_SUBMISSION: tuple
    RESUBMITTABLE: tuple
    REUSABLE: tuple
    STAGE2: tuple
    EXPIRABLE: tuple


# No decision yet: on the board, and the team or the office may still withdraw it.
State.OPEN = (
    State.IDEA,
    State.CONSULTATION,
    State.DRAFTING,
    State.IN_REVIEW,
    State.READY,
    State.SUBMITTED,
    State.RESERVE,
    State.INVITED_STAGE2,
)
# Still being shaped with the office: partners change, consultations are held.
State.PREPARATION = (State.IDEA, State.CONSULTATION, State.DRAFTING)
# Documents are prepared and the deadline lies ahead (stage 2 is prepared again).
State.BEFORE_SUBMISSION = (
    State.IDEA,
    State.CONSULTATION,
    State.DRAFTING,
    State.IN_REVIEW,
    State.READY,
    State.INVITED_STAGE2,
)
# Went to the funder: each submission keeps the documents it froze.
State.AFTER_SUBMISSION = (State.SUBMITTED, State.RESERVE, State.AWARDED, State.REJECTED, State.INELIGIBLE)
# Corrected and resubmitted until the deadline, as on the funder portals.
State.RESUBMITTABLE = (State.SUBMITTED,)
# May be reused as a new idea for a later call.
State.REUSABLE = (State.REJECTED, State.INELIGIBLE, State.EXPIRED)
# Works towards the call's stage-2 deadline.
State.STAGE2 = (State.INVITED_STAGE2,)
# Expires when the deadline that applies passes without a submission.
State.EXPIRABLE = (State.DRAFTING, State.READY)


class AssignmentState(models.TextChoices):
    """An expert's assignment in a review round."""

    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SUBMITTED = "submitted", _("Review submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    ACTIVE: tuple
    AWAITING: tuple
    ENDED: tuple
    FULL_ACCESS: tuple


# The reviewer's place in the round (and their sight of the brief).
AssignmentState.ACTIVE = (AssignmentState.INVITED, AssignmentState.ACCEPTED, AssignmentState.SUBMITTED)
# Waiting for the reviewer: the round cannot close while any is in these; reminders go out.
AssignmentState.AWAITING = (AssignmentState.INVITED, AssignmentState.ACCEPTED)
AssignmentState.ENDED = (AssignmentState.SUBMITTED, AssignmentState.DECLINED, AssignmentState.WITHDRAWN)
# Past the conflict-of-interest gate: the reviewer reads the whole proposal.
AssignmentState.FULL_ACCESS = (AssignmentState.ACCEPTED, AssignmentState.SUBMITTED)
