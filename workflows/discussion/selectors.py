"""Read queries for comments: threads with their replies, authors and mentions in a fixed few queries,
and the role a person has on a proposal's discussion (asked once per request, then passed on)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from documents import selectors as document_selectors
from documents.models import DocumentVersion
from grants_office.core.errors import NotFound
from grants_office.core.people import signed_in
from grants_office.members.permissions import is_office_staff
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
from workflows import access
from workflows.discussion.models import Comment, Mention, Visibility
from workflows.review.models import ReviewAssignment
from workflows.roles import Role
from workflows.selectors import proposals_visible_to
from workflows.states import AssignmentState


# --- who reads what ------------------------------------------------------------------------------
def is_reviewer_of(user, proposal) -> bool:
    """A reviewer past the conflict-of-interest gate (an invited expert sees no discussion)."""
    return ReviewAssignment.objects.filter(
        round__proposal=proposal, reviewer=user, state__in=AssignmentState.FULL_ACCESS
    ).exists()


def role_of_viewer(user, proposal) -> Role:
    """office, reviewer or team, for someone who sees the proposal: it was found through
    `proposals_visible_to` in this request, so that is not asked again (one query outside the office)."""
    if is_office_staff(user):
        return Role.OFFICE
    if is_reviewer_of(user, proposal):
        return Role.REVIEWER
    return Role.TEAM


def role_on(user, proposal) -> Role | None:
    """office, reviewer or team (anyone else who sees the proposal); None if they do not see it."""
    if not access.can_view(user, proposal):
        return None
    return role_of_viewer(user, proposal)


def users_who_can_see(comment, users) -> list:
    """Of `users`, those who may read `comment` (a fixed handful of queries however many are named)."""
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


# --- comments --------------------------------------------------------------------------------------
def _internal_allowed(user) -> Q:
    """Internal comments: the office sees all; a reviewer those on proposals they review."""
    if is_office_staff(user):
        return Q()
    reviewing = ReviewAssignment.objects.filter(
        reviewer=user, round__proposal_id=OuterRef("proposal_id"), state__in=AssignmentState.FULL_ACCESS
    )
    return Q(visibility=Visibility.SHARED) | Q(Exists(reviewing))


def _audience(role: Role) -> Q:
    """The comments of one proposal that `role` reads there (`permissions.can_see`, as a filter)."""
    return Q() if role in (Role.OFFICE, Role.REVIEWER) else Q(visibility=Visibility.SHARED)


def _mentions(reader, proposal) -> Prefetch:
    """A comment's mentions as `reader` may see them: only people they may know on this proposal (an
    office comment that names a reviewer must not tell the team who reviews). No extra query."""
    people = access.people_known_to(reader, proposal, get_user_model().objects.all())
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
    """The comment if this person may read it, else `NotFound`; its proposal comes along (with the
    document set the discussion section reads), seen by this person by construction, and says so
    (`access.found_visible`)."""
    comment = comments_visible_to(user).select_related("proposal__document_set").filter(pk=pk).first()
    if comment is None:
        raise NotFound(_("Not found."))
    access.found_visible(user, comment.proposal)
    prefetch_related_objects([comment], _mentions(user, comment.proposal))
    return comment


def comment_on(proposal, pk, reader) -> Comment:
    """A comment just written on a proposal the reader sees, with what an answer shows of it."""
    return _with_details(Comment.objects.filter(proposal=proposal), reader, proposal).get(pk=pk)


def reply_target(user, proposal, role: Role, pk) -> Comment:
    """The comment `pk` to reply to, for someone with `role` on `proposal`: NotFound if they may not read
    it. One of another proposal is theirs to read only if they see that one (the service then refuses
    to thread across proposals)."""
    comments = Comment.objects.select_related("parent__version__document", "version__document")
    parent = comments.filter(proposal=proposal, pk=pk).filter(_audience(role)).first()
    if parent is not None:
        return parent
    return comment_for(user, pk)


def version_on(user, proposal, pk) -> DocumentVersion:
    """The document version `pk` a comment is about, for someone who sees `proposal`: NotFound if they
    may not see it. One of another proposal is theirs only if they see that one (the service then
    refuses it)."""
    if proposal.document_set_id is not None:
        version = (
            DocumentVersion.objects.select_related("document")
            .filter(pk=pk, document__set_id=proposal.document_set_id)
            .first()
        )
        if version is not None:
            return version
    return document_selectors.version_for(user, pk)


def threads(user, proposal, *, role: Role | None = None, version=None) -> QuerySet[Comment]:
    """The proposal's threads this user may read, oldest first, each with its visible replies.
    `proposal` is one they see (found through `proposals_visible_to`: not asked again); `role` theirs on
    it when the request has it, else the internal comments are filtered by a subquery (no query more)."""
    audience = _audience(role) if role is not None else _internal_allowed(user)
    replies = _with_details(Comment.objects.filter(audience), user, proposal).order_by("created_at", "id")
    roots = Comment.objects.filter(audience).filter(proposal=proposal, parent__isnull=True)
    roots = _with_details(roots.select_related("proposal"), user, proposal)
    if version is not None:
        roots = roots.filter(version_id=version)
    return roots.prefetch_related(Prefetch("replies", queryset=replies)).order_by("created_at", "id")
