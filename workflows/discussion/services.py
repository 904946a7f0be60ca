"""Every write on comments goes through one function here.

Each takes the writer's role on the proposal from the caller that asked it once for the request
(`selectors.role_of_viewer` after finding the proposal or the comment among those the person sees), or
asks it itself (`selectors.role_on`): whoever may not read the proposal or the comment gets 404.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants_office.core import concurrency
from grants_office.core.errors import Conflict, Invalid, NotFound, Reason, not_permitted
from workflows import signals
from workflows.access import people_known_to
from workflows.discussion import permissions as can
from workflows.discussion import selectors
from workflows.discussion.models import Comment, CommentRevision, Mention, Visibility
from workflows.discussion.rendering import mentioned_usernames
from workflows.roles import Role

MAX_LENGTH = 10_000


def _clean_body(body) -> str:
    body = str(body or "").strip()
    if not body:
        raise Invalid(_("Invalid input."), fields={"body": [_("Write something.")]})
    if len(body) > MAX_LENGTH:
        raise Invalid(
            _("Invalid input."),
            fields={"body": [_("At most %(count)d characters.") % {"count": MAX_LENGTH}]},
        )
    return body


def _record_mentions(comment: Comment, by) -> list:
    """Mention the named people whom the writer may know on this proposal (`workflows.access`) and who
    can read the comment. A name the writer may not know stays plain text, exactly as a name nobody
    has: for a team, everyone it may know can read what it shares, so the answer never depends on
    who reviews the proposal."""
    names = mentioned_usernames(comment.body)
    if not names:
        return []
    already = set(comment.mentions.values_list("user_id", flat=True))
    named = get_user_model().objects.filter(username__in=names, is_active=True).exclude(pk__in=already)
    users = selectors.users_who_can_see(comment, list(people_known_to(by, comment.proposal, named)))
    if not users:
        return []
    Mention.objects.bulk_create([Mention(comment=comment, user=u) for u in users])
    for user in users:
        signals.comment_mentioned.send(sender=Comment, comment=comment, user=user, by=by)
    return users


def _role(user, proposal, role: Role | None) -> Role:
    """The writer's role as the caller found it, else asked now; 404 for whoever does not see it."""
    role = role or selectors.role_on(user, proposal)
    if role is None:
        raise NotFound(_("Not found."))
    return role


def _ensure_reads(user, comment: Comment, role: Role | None) -> None:
    """404 for whoever may not read `comment` (an internal one is not the team's). With `role`, theirs
    on the comment's proposal as the caller found it, no query."""
    if role is not None:
        readable = can.can_see(role, comment)
    else:
        readable = selectors.comments_visible_to(user).filter(pk=comment.pk).exists()
    if not readable:
        raise NotFound(_("Not found."))


# --- threading and visibility of a new comment -----------------------------------------------------
def _thread(proposal, role: Role, parent: Comment | None, version, errors: dict) -> tuple:
    """(the thread a reply joins, what it is about): one level, so a reply to a reply joins the thread,
    and a reply is about what its thread is about. A parent the writer may not read is refused."""
    if parent is None:
        return None, version
    if parent.proposal_id != proposal.pk or not can.can_see(role, parent):
        errors["parent"] = [_("There is no such comment on this proposal.")]
        return parent, version
    parent = parent.parent or parent
    if version is not None and version.pk != parent.version_id:
        errors["version"] = [_("A reply is about what its thread is about.")]
    return parent, parent.version


def _default_visibility(parent: Comment | None, allowed: set[str]) -> str:
    """An unspecified reply keeps its thread's audience; otherwise the narrowest this person may use."""
    if parent is not None and parent.visibility in allowed:
        return parent.visibility
    return Visibility.INTERNAL if Visibility.INTERNAL in allowed else Visibility.SHARED


def _visibility_error(visibility: str, parent: Comment | None, role: Role, allowed: set[str]) -> str | None:
    if visibility not in Visibility.values:
        return _("Choose internal or shared.")
    if visibility not in allowed:
        return (
            _("Team members post comments shared with the team.")
            if role == Role.TEAM
            else _("Reviewers post internal comments: the team does not see reviewers' names.")
        )
    if parent is not None and parent.visibility == Visibility.INTERNAL and visibility == Visibility.SHARED:
        return _("A reply to an internal comment stays internal.")
    return None


def post_comment(
    proposal,
    user,
    *,
    body,
    visibility: str | None = None,
    parent: Comment | None = None,
    version=None,
    role: Role | None = None,
) -> Comment:
    """Post on the proposal or on one of its document versions, or reply to a thread. `role`: the
    writer's on the proposal, when the caller has it (else asked here)."""
    role = _role(user, proposal, role)
    body = _clean_body(body)
    errors: dict[str, list[str]] = {}
    parent, version = _thread(proposal, role, parent, version, errors)
    if version is not None and (
        proposal.document_set_id is None or version.document.set_id != proposal.document_set_id
    ):
        errors["version"] = [_("This document version is not one of the proposal's.")]
    allowed = can.allowed_visibilities(role)
    if visibility in (None, ""):
        visibility = _default_visibility(parent, allowed)
    problem = _visibility_error(visibility, parent, role, allowed)
    if problem:
        errors["visibility"] = [problem]
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)
    with transaction.atomic():
        comment = Comment.objects.create(
            proposal=proposal, version=version, parent=parent, author=user, visibility=visibility, body=body
        )
        _record_mentions(comment, user)
        signals.comment_posted.send(sender=Comment, comment=comment, by=user)
    return comment


def comment_tag(comment: Comment) -> str:
    """The comment's entity tag: a digest of what its edits and resolution change."""
    return concurrency.content_tag(
        "comment", comment.pk, comment.body, comment.edited_at, comment.resolved_at, comment.resolved_by_id
    )


def edit_comment(
    comment: Comment,
    user,
    *,
    body,
    precondition: concurrency.Precondition | None = None,
    role: Role | None = None,
) -> Comment:
    """The author changes the text within 15 minutes of posting; the earlier text is kept. With a
    `precondition` (`If-Match`, the form's version) only the text they read: else 412, nothing changes.
    `role`: the author's on the proposal, when the caller has it."""
    _ensure_reads(user, comment, role)
    if comment.author_id != user.pk:
        raise not_permitted(_("Only the author edits a comment."))
    body = _clean_body(body)
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if precondition is not None:
            precondition.ensure(comment_tag(locked))
        if timezone.now() - locked.created_at > can.EDIT_WINDOW:
            message = _("Comments can be edited for %(minutes)d minutes after posting.") % {
                "minutes": int(can.EDIT_WINDOW.total_seconds() // 60)
            }
            raise Conflict(
                message, reasons=[Reason("edit_window_closed", message)], code="edit_window_closed"
            )
        if body == locked.body:
            return locked
        CommentRevision.objects.create(comment=locked, body=locked.body, edited_by=user)
        locked.body = body
        locked.edited_at = timezone.now()
        locked.save(update_fields=["body", "edited_at"])
        _record_mentions(locked, user)
    return locked


def resolve_comment(comment: Comment, user, *, resolved: bool = True, role: Role | None = None) -> Comment:
    """The office or the author marks a comment resolved (or reopens it). `role`: theirs on the
    proposal, when the caller has it."""
    _ensure_reads(user, comment, role)
    if not can.can_resolve(user, comment):
        raise not_permitted(_("Only the office and the author resolve a comment."))
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if resolved and locked.resolved_at is None:
            locked.resolved_at, locked.resolved_by = timezone.now(), user
        elif not resolved:
            locked.resolved_at, locked.resolved_by = None, None
        locked.save(update_fields=["resolved_at", "resolved_by"])
    return locked
