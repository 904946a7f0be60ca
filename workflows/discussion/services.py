"""Every write on comments goes through one function here."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants_office.core import concurrency
from grants_office.core.errors import Conflict, Invalid, NotFound, Reason
from workflows import signals
from workflows.access import people_known_to
from workflows.discussion import permissions as can
from workflows.discussion.models import Comment, CommentRevision, Mention, Visibility
from workflows.discussion.rendering import mentioned_usernames

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
    users = can.users_who_can_see(comment, list(people_known_to(by, comment.proposal, named)))
    if not users:
        return []
    Mention.objects.bulk_create([Mention(comment=comment, user=u) for u in users])
    for user in users:
        signals.comment_mentioned.send(sender=Comment, comment=comment, user=user, by=by)
    return users


def post_comment(
    proposal, user, *, body, visibility: str | None = None, parent: Comment | None = None, version=None
) -> Comment:
    """Post on the proposal or on one of its document versions, or reply to a thread."""
    role = can.role_on(user, proposal)
    if role is None:
        raise NotFound(_("Not found."))
    body = _clean_body(body)
    errors: dict[str, list[str]] = {}
    if parent is not None:
        if parent.proposal_id != proposal.pk or not can.can_see(role, parent):
            errors["parent"] = [_("There is no such comment on this proposal.")]
        else:
            parent = parent.parent or parent  # one level: a reply to a reply joins the thread
            if version is not None and version.pk != parent.version_id:
                errors["version"] = [_("A reply is about what its thread is about.")]
            version = parent.version
    if version is not None and (
        proposal.document_set_id is None or version.document.set_id != proposal.document_set_id
    ):
        errors["version"] = [_("This document version is not one of the proposal's.")]
    allowed = can.allowed_visibilities(role)
    if visibility in (None, ""):
        # An unspecified reply keeps its thread's audience; otherwise the narrowest this person may use.
        if parent is not None and parent.visibility in allowed:
            visibility = parent.visibility
        else:
            visibility = Visibility.INTERNAL if Visibility.INTERNAL in allowed else Visibility.SHARED
    if visibility not in Visibility.values:
        errors["visibility"] = [_("Choose internal or shared.")]
    elif visibility not in allowed:
        errors["visibility"] = [
            _("Team members post comments shared with the team.")
            if role == can.TEAM
            else _("Reviewers post internal comments: the team does not see reviewers' names.")
        ]
    elif parent is not None and parent.visibility == Visibility.INTERNAL and visibility == Visibility.SHARED:
        errors["visibility"] = [_("A reply to an internal comment stays internal.")]
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
    comment: Comment, user, *, body, precondition: concurrency.Precondition | None = None
) -> Comment:
    """The author changes the text within 15 minutes of posting; the earlier text is kept. With a
    `precondition` (`If-Match`, the form's version) only the text they read: else 412, nothing changes."""
    from workflows.discussion.selectors import comments_visible_to

    if not comments_visible_to(user).filter(pk=comment.pk).exists():
        raise NotFound(_("Not found."))
    if comment.author_id != user.pk:
        message = _("Only the author edits a comment.")
        raise Conflict(message, reasons=[Reason("not_permitted", message)], code="not_permitted")
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


def resolve_comment(comment: Comment, user, *, resolved: bool = True) -> Comment:
    """The office or the author marks a comment resolved (or reopens it)."""
    from workflows.discussion.selectors import comments_visible_to

    if not comments_visible_to(user).filter(pk=comment.pk).exists():
        raise NotFound(_("Not found."))
    if not can.can_resolve(user, comment):
        message = _("Only the office and the author resolve a comment.")
        raise Conflict(message, reasons=[Reason("not_permitted", message)], code="not_permitted")
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if resolved and locked.resolved_at is None:
            locked.resolved_at, locked.resolved_by = timezone.now(), user
        elif not resolved:
            locked.resolved_at, locked.resolved_by = None, None
        locked.save(update_fields=["resolved_at", "resolved_by"])
    return locked
