"""Who sees and writes which comments: the one place that answers it.

Shared comments: anyone who sees the proposal. Internal comments: the office and the proposal's
reviewers (past the conflict-of-interest gate in any of its rounds). Team members post shared comments
only and never see internal ones; reviewers post internal ones only, so their names stay hidden from
the team. Each rule here takes the person's role on the proposal (`selectors.role_of_viewer`, asked once
per request) or the person and a comment, and asks no query.
"""

from __future__ import annotations

from datetime import timedelta

from grants_office.members.permissions import is_office_staff
from workflows.discussion.models import Visibility
from workflows.roles import Role

EDIT_WINDOW = timedelta(minutes=15)


def allowed_visibilities(role: Role | None) -> set[str]:
    return {
        Role.OFFICE: {Visibility.INTERNAL, Visibility.SHARED},
        Role.REVIEWER: {Visibility.INTERNAL},
        Role.TEAM: {Visibility.SHARED},
    }.get(role, set())


def can_see(role: Role | None, comment) -> bool:
    if role is None:
        return False
    return comment.visibility == Visibility.SHARED or role in (Role.OFFICE, Role.REVIEWER)


def can_resolve(user, comment) -> bool:
    return is_office_staff(user) or comment.author_id == user.pk
