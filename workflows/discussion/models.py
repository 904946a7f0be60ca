"""Comments on a proposal or one document version: threads one level deep, internal or shared, with
@mentions, an edit history and resolution. The text is stored raw and escaped when rendered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Comment", "CommentRevision", "Mention", "Visibility"]


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal (office and reviewers)")
    SHARED = "shared", _("Shared with the team")


class Comment(models.Model):
    proposal = models.ForeignKey(
        "workflows.Proposal", on_delete=models.CASCADE, related_name="comments", verbose_name=_("proposal")
    )
    version = models.ForeignKey(
        "documents.DocumentVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("document version"),
    )
    # Replies hang off the thread's first comment (one level), so a thread reads top to bottom.
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["proposal", "visibility", "created_at"]),
            models.Index(fields=["parent", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=["internal", "shared"]), name="comment_visibility_known"
            )
        ]

    def __str__(self):
        return f"{self.author} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def mentioned_users(self) -> list:
        return [mention.user for mention in self.mentions.all()]


class Mention(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")

    class Meta:
        ordering = ["comment", "id"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="one_mention_per_user")]

    def __str__(self):
        return f"@{self.user}"


class CommentRevision(models.Model):
    """The text a comment had before an edit: nothing said is lost."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("previous text"))
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(_("edited"), default=timezone.now)

    class Meta:
        ordering = ["comment", "edited_at", "id"]
        verbose_name = _("comment revision")
        verbose_name_plural = _("comment revisions")

    def __str__(self):
        return f"{self.comment} ({self.edited_at:%Y-%m-%d %H:%M})"
