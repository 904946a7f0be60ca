"""E-mail delivery: a real SMTP server on loopback, a server that is down, retries, idempotence, digest."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.utils import timezone

from notifications import delivery, kinds, tasks
from notifications.models import Notification
from tests.factories import NotificationFactory, PreferenceFactory, UserProfileFactory
from tests.ports import free_port

pytestmark = pytest.mark.django_db

Status = Notification.EmailStatus


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_real_smtp_server_receives_the_mail_in_the_recipients_language(world, smtp_server, expire):
    UserProfileFactory(user=world["lead"], language="en", time_zone="Europe/London")
    for name in ("teammate", "partner", "coordinator"):
        PreferenceFactory(user=world[name], kind=kinds.PROPOSAL_TRANSITIONED, channel=kinds.Channel.IN_APP)

    expire(world["proposal"])

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    row = Notification.objects.get(recipient=world["lead"])
    assert message["To"] == world["lead"].email
    assert subject(message) == row.title
    assert message["Message-ID"] == f"<notification.{row.pk}@localhost>"
    assert message.is_multipart()
    assert (row.email_status, row.email_attempts) == (Status.SENT, 1)
    text = message.get_payload()[0].get_payload(decode=True).decode()
    assert "(Europe/London)" in text


def test_smtp_server_refusing_connections_is_retried_then_failed(world, settings, expire):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.NOTIFICATIONS_EMAIL_MAX_RETRIES = 3

    expire(world["proposal"])  # eager: the retries run at once

    # An outage longer than the backoff: each mail waits an hour for the sweep, nothing is dropped.
    rows = Notification.objects.filter(email_status=Status.PENDING)
    assert rows.count() == 4  # nothing lost: every notification is still in its inbox
    for row in rows:
        assert row.email_attempts == 1 + 3
        assert "ConnectionRefusedError" in row.email_error
        assert row.read_at is None
        assert row.email_next_attempt_at > timezone.now() + timedelta(minutes=59)
    # the sweep queues them again once the hour (and the grace) has passed
    later = timezone.now() + timedelta(hours=1, seconds=settings.NOTIFICATIONS_EMAIL_STALL_GRACE + 1)
    settings.NOTIFICATIONS_EMAIL_GIVE_UP_HOURS = 0  # ... and this time they are given up
    assert delivery.requeue_stalled_emails(now=later) == 4
    assert Notification.objects.filter(email_status=Status.FAILED).count() == 4


def test_smtp_temporary_error_is_retried_then_waits_for_the_sweep(world, smtp_server, settings):
    settings.NOTIFICATIONS_EMAIL_MAX_RETRIES = 2
    smtp_server.answer = "451 4.3.0 Mailbox temporarily unavailable"
    row = NotificationFactory(recipient=world["lead"], email_status=Status.PENDING)

    assert tasks.send_notification_email.delay(row.pk).get() == "pending"

    row.refresh_from_db()
    assert (row.email_status, row.email_attempts) == (Status.PENDING, 3)
    assert "SMTPDataError" in row.email_error
    assert smtp_server.messages == []


def test_smtp_temporary_error_past_the_horizon_fails(world, smtp_server, settings):
    settings.NOTIFICATIONS_EMAIL_MAX_RETRIES = 1
    smtp_server.answer = "451 4.3.0 Mailbox temporarily unavailable"
    row = NotificationFactory(
        recipient=world["lead"],
        email_status=Status.PENDING,
        created_at=timezone.now() - timedelta(hours=settings.NOTIFICATIONS_EMAIL_GIVE_UP_HOURS, minutes=1),
    )

    assert tasks.send_notification_email.delay(row.pk).get() == "failed"
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts) == (Status.FAILED, 2)


def test_a_permanent_refusal_fails_at_once(world, smtp_server, settings):
    settings.NOTIFICATIONS_EMAIL_MAX_RETRIES = 5
    smtp_server.answer = "554 5.7.1 Message rejected"
    row = NotificationFactory(recipient=world["lead"], email_status=Status.PENDING)

    assert tasks.send_notification_email.delay(row.pk).get() == "failed"
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts) == (Status.FAILED, 1)
    assert "554" in row.email_error


def test_smtp_recovers_on_a_retry(world, smtp_server, settings):
    """The first try fails, the retry goes through: one mail, status sent."""
    settings.NOTIFICATIONS_EMAIL_MAX_RETRIES = 3
    row = NotificationFactory(recipient=world["lead"], email_status=Status.PENDING)
    smtp_server.answer = "451 4.3.0 Try again"

    with pytest.raises(delivery.SMTP_ERRORS):
        delivery.deliver_email(row.pk)
    assert delivery.email_failed(row.pk, OSError("down"), 0) == settings.NOTIFICATIONS_EMAIL_RETRY_BASE
    smtp_server.answer = "250 OK"
    assert tasks.send_notification_email.delay(row.pk).get() == "sent"
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts) == (Status.SENT, 2)
    assert len(smtp_server.messages) == 1


def test_redelivered_task_sends_once(world):
    row = NotificationFactory(recipient=world["lead"], email_status=Status.PENDING)
    assert tasks.send_notification_email.delay(row.pk).get() == "sent"
    assert tasks.send_notification_email.delay(row.pk).get() == "skipped"
    assert len(mail.outbox) == 1


def test_row_left_sending_by_a_dead_worker_is_sent_after_the_lease(world, settings):
    settings.NOTIFICATIONS_EMAIL_LEASE = 300
    row = NotificationFactory(
        recipient=world["lead"],
        email_status=Status.SENDING,
        email_claimed_at=timezone.now() - timedelta(seconds=30),
        email_attempts=1,
    )
    # within the lease another worker may still be sending: a redelivery leaves it alone
    assert tasks.send_notification_email.delay(row.pk).get() == "skipped"
    Notification.objects.filter(pk=row.pk).update(email_claimed_at=timezone.now() - timedelta(seconds=301))
    assert tasks.send_notification_email.delay(row.pk).get() == "sent"
    assert tasks.send_notification_email.delay(row.pk).get() == "skipped"
    assert len(mail.outbox) == 1


def test_sweep_requeues_lost_emails_only(world, settings):
    settings.NOTIFICATIONS_EMAIL_STALL_GRACE = 600
    long_ago = timezone.now() - timedelta(hours=1)
    lost = NotificationFactory(
        recipient=world["lead"], email_status=Status.PENDING, email_next_attempt_at=long_ago
    )
    fresh = NotificationFactory(
        recipient=world["teammate"], email_status=Status.PENDING, email_next_attempt_at=timezone.now()
    )
    NotificationFactory(recipient=world["partner"], email_status=Status.SENT, email_next_attempt_at=long_ago)

    assert delivery.requeue_stalled_emails() == 1
    assert [m.to for m in mail.outbox] == [[world["lead"].email]]
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.email_status, fresh.email_status) == (Status.SENT, Status.PENDING)


def test_daily_digest_sends_one_mail_then_nothing(world, expire):
    PreferenceFactory(user=world["lead"], kind=kinds.PROPOSAL_TRANSITIONED, channel=kinds.Channel.DIGEST)
    UserProfileFactory(user=world["lead"], language="en")
    expire(world["proposal"])
    expire(world["proposal"])
    waiting = Notification.objects.filter(recipient=world["lead"])
    assert list(waiting.values_list("email_status", flat=True)) == [Status.DIGEST, Status.DIGEST]
    assert world["lead"].email not in [to for m in mail.outbox for to in m.to]
    mail.outbox.clear()

    assert tasks.send_daily_digest.delay().get() == 1
    assert tasks.send_daily_digest.delay().get() == 0

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [world["lead"].email]
    assert digest.subject == "Your daily summary: 2 notifications"
    assert digest.body.count(waiting.first().title) == 2
    assert set(waiting.values_list("email_status", flat=True)) == {Status.SENT}


def test_digest_smtp_failure_keeps_rows_for_the_next_digest(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.NOTIFICATIONS_EMAIL_MAX_RETRIES = 1
    row = NotificationFactory(recipient=world["lead"], email_status=Status.DIGEST, via_digest=True)

    assert tasks.send_digest.delay(world["lead"].pk).get() == 0

    row.refresh_from_db()
    assert row.email_status == Status.DIGEST
    assert row.email_attempts == 2
    assert "ConnectionRefusedError" in row.email_error
