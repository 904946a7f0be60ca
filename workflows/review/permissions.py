"""Who may do what in expert review: the one place that answers it.

Transition permissions take (assignment, user) as django-fsm expects. Seeing a round follows seeing its
proposal (`workflows.permissions.can_view`); what a person sees inside it depends on their role there.
"""

from __future__ import annotations

from grants_office.members.permissions import is_office_staff

OFFICE = "office"
REVIEWER = "reviewer"
TEAM = "team"


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def office(assignment, user) -> bool:
    return is_office_staff(user)


def invited_reviewer(assignment, user) -> bool:
    """Only the person invited answers an invitation or scores; the office never does it for them."""
    return _signed_in(user) and assignment.reviewer_id == user.pk


def is_live_reviewer(user, assignment) -> bool:
    """The assignment's own reviewer while it is live (invited, accepted or submitted); no query."""
    from workflows.review.models import ACTIVE_STATES

    return invited_reviewer(assignment, user) and assignment.state in ACTIVE_STATES


def sees_brief(user, assignment) -> bool:
    """The conflict-check brief (title, acronym, summary, call, lead, partners): the office, and the
    reviewer while the assignment is live. Declining or being withdrawn removes even that."""
    return is_office_staff(user) or is_live_reviewer(user, assignment)


def sees_material(user, assignment) -> bool:
    """The round's documents, the review form and the proposal itself: past the declaration only."""
    from workflows.review.models import FULL_ACCESS_STATES

    return is_office_staff(user) or (
        invited_reviewer(assignment, user) and assignment.state in FULL_ACCESS_STATES
    )


def can_manage_rounds(user) -> bool:
    return is_office_staff(user)


def role_in_round(user, review_round) -> str | None:
    """office, reviewer (an active assignment in this round) or team (anyone else who sees the proposal).

    The caller has already checked that the user sees the proposal."""
    if not _signed_in(user):
        return None
    if is_office_staff(user):
        return OFFICE
    from workflows.review.models import ReviewAssignment

    if ReviewAssignment.objects.active().filter(round=review_round, reviewer=user).exists():
        return REVIEWER
    return TEAM
