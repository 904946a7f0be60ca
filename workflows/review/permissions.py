"""Who may do what in expert review: the one place that answers it.

Predicates take (user, assignment); the transitions declare them (`workflows.machine`). Seeing a round
follows seeing its proposal (`workflows.access.can_view`); what a person sees inside it depends on their
role there.
"""

from __future__ import annotations

from grants_office.core.people import signed_in
from grants_office.members.permissions import is_office_staff
from workflows.states import AssignmentState

OFFICE = "office"
REVIEWER = "reviewer"
TEAM = "team"


def office(user, assignment=None) -> bool:
    return is_office_staff(user)


def invited_reviewer(user, assignment) -> bool:
    """Only the person invited answers an invitation or scores; the office never does it for them."""
    return signed_in(user) and assignment.reviewer_id == user.pk


def is_live_reviewer(user, assignment) -> bool:
    """The assignment's own reviewer while it is live (invited, accepted or submitted); no query."""

    return invited_reviewer(user, assignment) and assignment.state in AssignmentState.ACTIVE


def sees_brief(user, assignment) -> bool:
    """The conflict-check brief (title, acronym, summary, call, lead, partners): the office, and the
    reviewer while the assignment is live. Declining or being withdrawn removes even that."""
    return is_office_staff(user) or is_live_reviewer(user, assignment)


def sees_material(user, assignment) -> bool:
    """The round's documents, the review form and the proposal itself: past the declaration only."""

    return is_office_staff(user) or (
        invited_reviewer(user, assignment) and assignment.state in AssignmentState.FULL_ACCESS
    )


def can_manage_rounds(user) -> bool:
    return is_office_staff(user)


def role_in_round(user, review_round) -> str | None:
    """office, reviewer (an active assignment in this round) or team (anyone else who sees the proposal).

    The caller has already checked that the user sees the proposal."""
    if not signed_in(user):
        return None
    if is_office_staff(user):
        return OFFICE
    from workflows.review.models import ReviewAssignment

    if ReviewAssignment.objects.active().filter(round=review_round, reviewer=user).exists():
        return REVIEWER
    return TEAM
