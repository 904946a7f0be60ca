"""Who sees and writes which comments: the one place that answers it.

Shared comments: anyone who sees the proposal. Internal comments: the office and the proposal's
reviewers (a live assignment in any of its rounds). Team members post shared comments only and never
see internal ones; reviewers post internal ones only, so their names stay hidden from the team.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q

from grants_office.members.permissions import is_office_staff
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
from workflows import access
from workflows.states import AssignmentState

EDIT_WINDOW = timedelta(minutes=15)

OFFICE = "office"
REVIEWER = "reviewer"
TEAM = "team"


def is_reviewer_of(user, proposal) -> bool:
    """A reviewer past the conflict-of-interest gate (an invited expert sees no discussion)."""
    from workflows.review.models import ReviewAssignment

    return ReviewAssignment.objects.filter(
        round__proposal=proposal, reviewer=user, state__in=AssignmentState.FULL_ACCESS
    ).exists()


def role_on(user, proposal) -> str | None:
    """office, reviewer or team (anyone else who sees the proposal); None if they do not see it."""
    if not access.can_view(user, proposal):
        return None
    if is_office_staff(user):
        return OFFICE
    if is_reviewer_of(user, proposal):
        return REVIEWER
    return TEAM


def allowed_visibilities(role: str | None) -> set[str]:
    from workflows.discussion.models import Visibility

    return {
        OFFICE: {Visibility.INTERNAL, Visibility.SHARED},
        REVIEWER: {Visibility.INTERNAL},
        TEAM: {Visibility.SHARED},
    }.get(role, set())


def can_see(role: str | None, comment) -> bool:
    from workflows.discussion.models import Visibility

    if role is None:
        return False
    return comment.visibility == Visibility.SHARED or role in (OFFICE, REVIEWER)


def can_resolve(user, comment) -> bool:
    return is_office_staff(user) or comment.author_id == user.pk


def users_who_can_see(comment, users) -> list:
    """Of `users`, those who may read `comment` (a fixed handful of queries however many are named)."""
    from workflows.discussion.models import Visibility
    from workflows.review.models import ReviewAssignment

    users = [u for u in users if u.is_active]
    if not users:
        return []
    viewers = access.viewers_among(comment.proposal, users)
    if comment.visibility != Visibility.SHARED:
        # Internal: of those who see the proposal, the office and its reviewers, never its teams.
        office = set(
            get_user_model()
            .objects.filter(pk__in=viewers)
            .filter(Q(is_superuser=True) | Q(groups__name__in=[OFFICE_STAFF, OFFICE_ADMIN]))
            .values_list("pk", flat=True)
        )
        reviewers = set(
            ReviewAssignment.objects.filter(
                round__proposal_id=comment.proposal_id,
                reviewer_id__in=viewers,
                state__in=AssignmentState.FULL_ACCESS,
            ).values_list("reviewer_id", flat=True)
        )
        viewers &= office | reviewers
    return [u for u in users if u.pk in viewers]
