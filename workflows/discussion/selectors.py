"""Read queries for comments: threads with their replies, authors and mentions in a fixed few queries."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from grants_office.core.errors import NotFound
from grants_office.members.permissions import is_office_staff
from workflows.discussion.models import Comment, Mention, Visibility
from workflows.selectors import proposals_visible_to


def _internal_allowed(user) -> Q:
    """Internal comments: the office sees all; a reviewer those on proposals they review."""
    if is_office_staff(user):
        return Q()
    from workflows.review.models import ReviewAssignment

    reviewing = ReviewAssignment.objects.active().filter(
        reviewer=user, round__proposal_id=OuterRef("proposal_id")
    )
    return Q(visibility=Visibility.SHARED) | Q(Exists(reviewing))


def _with_details(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    return comments.select_related("author", "resolved_by", "version__document").prefetch_related(
        Prefetch("mentions", queryset=Mention.objects.select_related("user").order_by("id"))
    )


def comments_visible_to(user) -> QuerySet[Comment]:
    if not user or not user.is_authenticated or not user.is_active:
        return Comment.objects.none()
    visible = proposals_visible_to(user).prefetch_related(None).values("pk")
    return _with_details(Comment.objects.filter(proposal__in=visible).filter(_internal_allowed(user)))


def comment_for(user, pk) -> Comment:
    comment = comments_visible_to(user).filter(pk=pk).first()
    if comment is None:
        raise NotFound(_("Not found."))
    return comment


def threads(user, proposal, *, version=None) -> QuerySet[Comment]:
    """The proposal's threads this user may read, oldest first, each with its visible replies."""
    allowed = _internal_allowed(user)
    replies = _with_details(Comment.objects.filter(allowed)).order_by("created_at", "id")
    roots = comments_visible_to(user).filter(proposal=proposal, parent__isnull=True)
    if version is not None:
        roots = roots.filter(version_id=version)
    return roots.prefetch_related(Prefetch("replies", queryset=replies)).order_by("created_at", "id")
