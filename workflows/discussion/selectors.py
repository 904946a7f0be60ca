"""Read queries for comments: threads with their replies, authors and mentions in a fixed few queries."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from grants_office.core.errors import NotFound
from grants_office.core.people import signed_in
from grants_office.members.permissions import is_office_staff
from workflows.access import people_known_to
from workflows.discussion.models import Comment, Mention, Visibility
from workflows.selectors import proposals_visible_to
from workflows.states import AssignmentState


def _internal_allowed(user) -> Q:
    """Internal comments: the office sees all; a reviewer those on proposals they review."""
    if is_office_staff(user):
        return Q()
    from workflows.review.models import ReviewAssignment

    reviewing = ReviewAssignment.objects.filter(
        reviewer=user, round__proposal_id=OuterRef("proposal_id"), state__in=AssignmentState.FULL_ACCESS
    )
    return Q(visibility=Visibility.SHARED) | Q(Exists(reviewing))


def _mentions(reader, proposal) -> Prefetch:
    """A comment's mentions as `reader` may see them: only people they may know on this proposal (an
    office comment that names a reviewer must not tell the team who reviews). No extra query."""
    people = people_known_to(reader, proposal, get_user_model().objects.all())
    mentions = Mention.objects.filter(user__in=people.values("pk")).select_related("user").order_by("id")
    return Prefetch("mentions", queryset=mentions)


def _with_details(comments: QuerySet[Comment], reader, proposal) -> QuerySet[Comment]:
    return comments.select_related("author", "resolved_by", "version__document").prefetch_related(
        _mentions(reader, proposal)
    )


def comments_visible_to(user) -> QuerySet[Comment]:
    """The comments this person may read, without their mentions (`comment_for` and `threads` add the
    mentions the reader may see)."""
    if not signed_in(user):
        return Comment.objects.none()
    visible = proposals_visible_to(user).prefetch_related(None).values("pk")
    return (
        Comment.objects.filter(proposal__in=visible)
        .filter(_internal_allowed(user))
        .select_related("author", "resolved_by", "version__document", "proposal")
    )


def comment_for(user, pk) -> Comment:
    comment = comments_visible_to(user).filter(pk=pk).first()
    if comment is None:
        raise NotFound(_("Not found."))
    prefetch_related_objects([comment], _mentions(user, comment.proposal))
    return comment


def threads(user, proposal, *, version=None) -> QuerySet[Comment]:
    """The proposal's threads this user may read, oldest first, each with its visible replies."""
    allowed = _internal_allowed(user)
    replies = _with_details(Comment.objects.filter(allowed), user, proposal).order_by("created_at", "id")
    roots = _with_details(
        comments_visible_to(user).filter(proposal=proposal, parent__isnull=True), user, proposal
    )
    if version is not None:
        roots = roots.filter(version_id=version)
    return roots.prefetch_related(Prefetch("replies", queryset=replies)).order_by("created_at", "id")
