"""E-mail delivery: one notification's mail, the daily digest, their retries and the sweep for lost tasks.

A conditional UPDATE claims a row before its mail is sent, and the row is marked sent before QUIT, so a
redelivered task sends nothing twice (docs/notifications.md, step 4). `notifications.tasks` wraps these
functions; the mail task is published by its name, so this module never imports the task module.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db.models import F, Q
from django.utils import timezone

from grants_office.celery import app as celery_app
from grants_office.celery import publish
from notifications import emails, selectors
from notifications.models import Notification

logger = logging.getLogger(__name__)

Status = Notification.EmailStatus
# What a broken or refusing mail server raises: worth retrying.
SMTP_ERRORS = (smtplib.SMTPException, OSError)
# The task that sends one notification's e-mail (`tasks.send_notification_email`), on the `mail` queue.
SEND_EMAIL_TASK = "notifications.send_email"


def enqueue_email(notification_id: int) -> None:
    """Hand one e-mail to the workers. A broker outage leaves the row pending for the sweep."""
    publish(celery_app.signature(SEND_EMAIL_TASK), notification_id)


# --- one notification's e-mail -----------------------------------------------------------------------
# A mail whose task gave up is tried again by the sweep after this long.
PARKED_FOR = timedelta(hours=1)


def _lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATIONS_EMAIL_LEASE)


def retry_countdown(retries_done: int) -> int | None:
    """Seconds to wait before the next try (exponential backoff), None when it is time to give up."""
    if retries_done >= settings.NOTIFICATIONS_EMAIL_MAX_RETRIES:
        return None
    # Capped well below Redis' visibility timeout (1 h), past which a waiting retry is handed out again.
    return min(settings.NOTIFICATIONS_EMAIL_RETRY_BASE * 2**retries_done, 1800)


def deliver_email(notification_id: int) -> str:
    """Send one notification's e-mail at most once per claim.

    A conditional UPDATE claims the row (pending, or left "sending" by a worker that died longer than
    the lease ago); only the claimer sends and then marks it sent. A redelivered task whose row is sent
    already does nothing. SMTP errors propagate so the task can retry.
    """
    now = timezone.now()
    claimable = Q(email_status=Status.PENDING) | Q(
        email_status=Status.SENDING, email_claimed_at__lt=now - _lease()
    )
    claimed = Notification.objects.filter(claimable, pk=notification_id, via_digest=False).update(
        email_status=Status.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
    )
    if not claimed:
        return "skipped"
    notification = selectors.emailable(notification_id)
    if not notification.recipient.is_active or not notification.recipient.email:
        Notification.objects.filter(pk=notification_id, email_status=Status.SENDING).update(
            email_status=Status.NONE
        )
        return "skipped"
    personal = selectors.personal_settings(notification.recipient)
    sent = Notification.objects.filter(pk=notification_id, email_status=Status.SENDING, email_claimed_at=now)
    _send_then_mark(emails.notification_message(notification, personal), sent)
    return "sent"


def _send_then_mark(message, claimed) -> None:
    """Send on a connection we opened, record "sent", then say QUIT: the one window in which a death
    doubles the mail (the server has accepted it, the mark has not committed) is as short as the
    database write, not the QUIT round trip too. The stable Message-ID lets a server drop a repeat."""
    connection = get_connection()
    connection.open()
    try:
        message.connection = connection
        message.send()
        claimed.update(email_status=Status.SENT, email_sent_at=timezone.now(), email_error="")
    finally:
        try:
            connection.close()
        except SMTP_ERRORS:  # the mail is accepted; a failed QUIT changes nothing
            logger.info("SMTP QUIT failed after a sent mail", exc_info=True)


def is_permanent(error: Exception) -> bool:
    """A 5xx answer (no such mailbox, refused content): trying again would get the same answer."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = min((answer[0] for answer in error.recipients.values()), default=None)
    return isinstance(code, int) and 500 <= code < 600


def email_failed(notification_id: int, error: Exception, retries_done: int) -> int | None:
    """Record an SMTP failure: back to pending with the backoff; once the task's retries are spent, the
    row waits an hour for the sweep (an outage longer than the backoff is not the mail's end) until
    NOTIFICATIONS_EMAIL_GIVE_UP_HOURS after it was written; a permanent (5xx) refusal fails at once.
    None means the task stops retrying. The row always stays in the inbox."""
    permanent = is_permanent(error)
    countdown = None if permanent else retry_countdown(retries_done)
    row = Notification.objects.filter(pk=notification_id, email_status=Status.SENDING)
    message = f"{type(error).__name__}: {error}"[:2000]
    now = timezone.now()
    if countdown is None:
        give_up_before = now - timedelta(hours=settings.NOTIFICATIONS_EMAIL_GIVE_UP_HOURS)
        parked = not permanent and row.filter(created_at__gt=give_up_before).update(
            email_status=Status.PENDING, email_error=message, email_next_attempt_at=now + PARKED_FOR
        )
        if parked:
            logger.info("E-mail of notification %s waits for the sweep: %s", notification_id, message)
        elif row.update(email_status=Status.FAILED, email_error=message):
            logger.warning("E-mail of notification %s failed for good: %s", notification_id, message)
    else:
        row.update(
            email_status=Status.PENDING,
            email_error=message,
            email_next_attempt_at=timezone.now() + timedelta(seconds=countdown),
        )
    return countdown


def requeue_stalled_emails(now: datetime | None = None) -> int:
    """Queue again e-mails whose task was lost (broker outage, a worker killed past the lease).

    Safe next to a live task: the claim in `deliver_email` lets only one of them send.
    """
    now = now or timezone.now()
    grace = timedelta(seconds=settings.NOTIFICATIONS_EMAIL_STALL_GRACE)
    stalled = Notification.objects.filter(
        Q(email_status=Status.PENDING, email_next_attempt_at__lt=now - grace)
        | Q(email_status=Status.SENDING, email_claimed_at__lt=now - _lease() - grace),
        via_digest=False,
    ).values_list("pk", flat=True)
    ids = list(stalled[:1000])
    for pk in ids:
        enqueue_email(pk)
    # Digest rows left "sending" by a dead worker go back to wait for the next digest.
    Notification.objects.filter(
        via_digest=True, email_status=Status.SENDING, email_claimed_at__lt=now - _lease() - grace
    ).update(email_status=Status.DIGEST)
    return len(ids)


# --- the daily digest --------------------------------------------------------------------------------
DIGEST_LIMIT = 200


def deliver_digest(user_id: int) -> int:
    """One e-mail with the person's waiting digest notifications, then marked sent (claimed first)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    now = timezone.now()
    claimable = Q(email_status=Status.DIGEST) | Q(
        email_status=Status.SENDING, email_claimed_at__lt=now - _lease()
    )
    waiting = Notification.objects.filter(claimable, recipient_id=user_id, via_digest=True)
    if user is None or not user.is_active or not user.email:
        return 0
    ids = list(waiting.order_by("created_at", "id").values_list("pk", flat=True)[:DIGEST_LIMIT])
    if not ids:
        return 0
    Notification.objects.filter(claimable, pk__in=ids).update(
        email_status=Status.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
    )
    rows = list(
        Notification.objects.filter(pk__in=ids, email_status=Status.SENDING, email_claimed_at=now).order_by(
            "created_at", "id"
        )
    )
    if not rows:
        return 0
    _send_then_mark(
        emails.digest_message(user, rows, selectors.personal_settings(user)),
        Notification.objects.filter(pk__in=[row.pk for row in rows], email_claimed_at=now),
    )
    return len(rows)


def digest_failed(user_id: int, error: Exception, retries_done: int) -> int | None:
    """The digest rows wait again (next try, or tomorrow's digest when retries are spent)."""
    Notification.objects.filter(recipient_id=user_id, via_digest=True, email_status=Status.SENDING).update(
        email_status=Status.DIGEST, email_error=f"{type(error).__name__}: {error}"[:2000]
    )
    return retry_countdown(retries_done)
