"""Notification rows (one per recipient and occasion) and each person's per-kind preferences."""

import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Channel


class Notification(models.Model):
    class EmailStatus(models.TextChoices):
        NONE = "none", _("Not e-mailed")
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DIGEST = "digest", _("Waiting for the daily digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,  # notif_inbox starts with the recipient
    )
    kind = models.CharField(_("kind"), max_length=50)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # What makes this notification one of a kind: an event id, or e.g. "deadline 2027-03-05T16:00Z -7d".
    occasion = models.CharField(_("occasion"), max_length=120)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    via_digest = models.BooleanField(_("in the daily digest"), default=False)
    email_status = models.CharField(
        _("e-mail"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_error = models.TextField(_("last e-mail error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # Object first: the same index answers "which occasions of these objects are done" for the
            # reminder scan, so a separate (kind, content_type, object_id, occasion) index is not needed
            # (one index less to write per notification: a scan may write a hundred thousand; issue 8).
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "occasion", "recipient"],
                name="unique_notification_occasion",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_inbox"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"),
            models.Index(
                fields=["email_status", "email_next_attempt_at"],
                condition=Q(email_status__in=["pending", "sending", "digest"]),
                name="notif_email_queue",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} – {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's choice for one kind; kinds without a row use the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    channel = models.CharField(_("delivery"), max_length=10, choices=Channel.choices)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_preference_per_kind")]

    def __str__(self):
        return f"{self.user} – {self.kind}: {self.channel}"


class OutboxEvent(models.Model):
    """A domain event written in the same transaction as the change that causes it (the outbox).

    The relay (`notifications.outbox`) turns it into notifications after commit, at least once; the
    notifications it writes carry `event_id` in their occasion, so a second relay writes nothing.
    """

    event_id = models.UUIDField(_("event id"), unique=True, default=uuid.uuid4, editable=False)
    signal = models.CharField(_("signal"), max_length=60)
    # The signal's arguments: model instances as {"model": "app.model", "pk": ...}, the rest as they were.
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    relayed_at = models.DateTimeField(_("relayed"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"], condition=Q(relayed_at__isnull=True), name="outbox_waiting"
            ),
            models.Index(fields=["relayed_at"], condition=Q(relayed_at__isnull=False), name="outbox_relayed"),
        ]

    def __str__(self):
        return f"{self.signal} {self.event_id}"


# --- calendar feeds (issue 13) ------------------------------------------------------------------------
def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar feed: `/feeds/<token>/calendar.ics`, read by calendar apps without a
    session, so the token is the only key. Renewing it makes the old address answer 404 at once.

    The token is stored as it is, not hashed: it is the feed's address, which the account page shows
    again whenever its owner comes back to copy it into another calendar (as Google Calendar's "secret
    address" is). It unlocks dates and titles only, never a session or a write, and looking it up on the
    unique index compares it whole."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    renewed_at = models.DateTimeField(_("renewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)


class CalendarEntry(models.Model):
    """What the feeds last said about one event (a call's deadline, a review's due date, a consultation),
    so that its SEQUENCE counts up and its LAST-MODIFIED moves when it changes: calls, assignments and
    consultations keep no modification time, and calendar apps (Google's among them) ignore an event
    whose SEQUENCE did not grow. Written by the feed that first sees the change (`notifications.services.
    calendar_revisions`)."""

    uid = models.CharField(_("event"), max_length=100, unique=True)  # "call-12-deadline", without the host
    fingerprint = models.CharField(_("fingerprint"), max_length=64)  # SHA-256 of what the event says
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")

    def __str__(self):
        return f"{self.uid} #{self.sequence}"
