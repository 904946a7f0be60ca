"""Who may do what in expert review: the one place that answers it.

Predicates take (user, assignment) and ask no query; the transitions declare them
(`grants_office.core.machine`).
Seeing a round follows seeing its proposal (`workflows.access.can_view`); what a person sees inside it
depends on their role there (`role_among`, or `selectors.role_in_round` when the assignments are not
loaded yet).
"""

from __future__ import annotations

from grants_office.core.people import signed_in
from grants_office.members.permissions import is_office_staff
from workflows.roles import Role
from workflows.states import AssignmentState


def office(user, assignment=None) -> bool:
    return is_office_staff(user)


def invited_reviewer(user, assignment) -> bool:
    """Only the person invited answers an invitation or scores; the office never does it for them."""
    return signed_in(user) and assignment.reviewer_id == user.pk


def sees_assignment(user, assignment) -> bool:
    """The office sees every assignment, a reviewer their own, nobody else any: the rule
    `selectors.assignments_visible_to` applies to lists, asked here of one assignment already loaded."""
    return is_office_staff(user) or invited_reviewer(user, assignment)


def is_live_reviewer(user, assignment) -> bool:
    """The assignment's own reviewer while it is live (invited, accepted or submitted)."""

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


def can_manage_rounds(user, review_round=None) -> bool:
    return is_office_staff(user)


def role_among(user, assignments) -> Role | None:
    """office, reviewer (a live assignment of theirs among `assignments`, the round's assignments this
    person sees) or team (anyone else who sees the proposal; the caller has checked that they do)."""
    if not signed_in(user):
        return None
    if is_office_staff(user):
        return Role.OFFICE
    if any(is_live_reviewer(user, assignment) for assignment in assignments):
        return Role.REVIEWER
    return Role.TEAM


def reads_consensus(role: Role | None, review_round) -> bool:
    """Who reads a round's aggregate (the API's and the consensus report): the office at any time, the
    team once the round is closed, reviewers never (they read the reviews, not the consensus)."""
    return role == Role.OFFICE or (role == Role.TEAM and not review_round.is_open)
