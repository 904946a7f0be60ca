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
from workflows import permissions as proposal_can

EDIT_WINDOW = timedelta(minutes=15)

OFFICE = "office"
REVIEWER = "reviewer"
TEAM = "team"


def is_reviewer_of(user, proposal) -> bool:
    from workflows.review.models import ReviewAssignment

    return ReviewAssignment.objects.active().filter(round__proposal=proposal, reviewer=user).exists()


def role_on(user, proposal) -> str | None:
    """office, reviewer or team (anyone else who sees the proposal); None if they do not see it."""
    if not proposal_can.can_view(user, proposal):
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
    from workflows.models import ProposalGroupObjectPermission, ProposalUserObjectPermission
    from workflows.review.models import ReviewAssignment

    ids = [u.pk for u in users if u.is_active]
    if not ids:
        return []
    User = get_user_model()
    office = Q(is_superuser=True) | Q(groups__name__in=[OFFICE_STAFF, OFFICE_ADMIN])
    reviewers = Q(
        pk__in=ReviewAssignment.objects.active()
        .filter(round__proposal_id=comment.proposal_id)
        .values("reviewer_id")
    )
    allowed = office | reviewers
    if comment.visibility == Visibility.SHARED:
        direct = ProposalUserObjectPermission.objects.filter(
            content_object_id=comment.proposal_id, permission__codename="view_proposal"
        ).values("user_id")
        via_group = ProposalGroupObjectPermission.objects.filter(
            content_object_id=comment.proposal_id, permission__codename="view_proposal"
        ).values("group_id")
        allowed |= Q(pk__in=direct) | Q(groups__in=via_group)
    visible = set(
        User.objects.filter(pk__in=ids, is_active=True).filter(allowed).values_list("pk", flat=True)
    )
    return [u for u in users if u.pk in visible]
