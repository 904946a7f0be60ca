"""Real Celery workers on Redis (REDIS_URL): a transition reaches a worker that sends the mail, and a
worker killed in the middle of sending leaves a message that a new worker sends exactly once."""

import random
import signal
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from grants_office.calls.models import Call
from notifications import delivery, tasks
from notifications.models import Notification
from tests.factories import NotificationFactory
from tests.notifications.processes import require_postgres, stop, wait_for, worker_process
from workflows import services as workflow_services
from workflows.models import Proposal
from workflows.states import State

Status = Notification.EmailStatus


@pytest.mark.django_db(transaction=True)
def test_transition_is_mailed_by_a_real_worker(world, celery_worker):
    Proposal.objects.filter(pk=world["proposal"].pk).update(state=State.READY)

    workflow_services.perform_transition(world["proposal"], "reopen", world["lead"], comment="New budget")

    # the relay (outbox) and the e-mails ran on the worker thread, taken from Redis
    assert wait_for(lambda: Notification.objects.filter(kind="proposal_transitioned").count() == 3)
    assert wait_for(lambda: len(mail.outbox) == 3), [m.to for m in mail.outbox]
    assert sorted(to for m in mail.outbox for to in m.to) == sorted(
        world[name].email for name in ("coordinator", "partner", "teammate")
    )
    assert wait_for(lambda: not Notification.objects.exclude(email_status=Status.SENT).exists())


@pytest.mark.django_db(transaction=True)
def test_reminder_scan_and_digest_run_on_a_real_worker(world, celery_worker):
    Call.objects.filter(pk=world["call"].pk).update(deadline=timezone.now() + timedelta(hours=20))
    tasks.scan_reminders.delay()
    tasks.scan_reminders.delay()  # a second scan right behind it
    assert wait_for(lambda: len(mail.outbox) == 4)
    time.sleep(0.5)
    assert Notification.objects.filter(kind="call_deadline_approaching").count() == 4
    assert len(mail.outbox) == 4


# --- a worker killed while sending --------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_while_sending_mails_once_after_a_new_worker_starts(
    world, broker, smtp_server, tmp_path
):
    require_postgres()
    log = tmp_path / "workers.log"
    row = NotificationFactory(recipient=world["lead"], email_status=Status.PENDING)
    smtp_server.hold = threading.Event()  # the server keeps the first DATA waiting...

    first = worker_process("first", smtp_server.port, log)
    try:
        tasks.send_notification_email.delay(row.pk)
        assert smtp_server.entered.wait(60), log.read_text()
        first.send_signal(signal.SIGKILL)  # ...while the worker dies, message taken but not acknowledged
        first.wait(10)
        row.refresh_from_db()
        assert (row.email_status, row.email_attempts) == (Status.SENDING, 1)
    finally:
        stop(first, signal.SIGKILL)
    smtp_server.hold.set()
    assert smtp_server.messages == []

    second = worker_process("second", smtp_server.port, log)
    try:
        sent = wait_for(lambda: Notification.objects.filter(pk=row.pk, email_status=Status.SENT).exists(), 60)
        assert sent, log.read_text()[-5000:]
        time.sleep(4)  # past another visibility timeout: nothing else arrives
    finally:
        stop(second)

    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["To"] == world["lead"].email
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts) == (Status.SENT, 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_killed_mid_batch_lose_no_mail_and_double_only_what_a_kill_cut_short(
    world, broker, smtp_server, tmp_path, settings
):
    """Workers killed at random moments while sending a batch: every mail arrives; a mail arrives twice
    only when a worker died between the server's "250" and the "sent" mark (the one window left)."""
    require_postgres()
    settings.NOTIFICATIONS_EMAIL_LEASE, settings.NOTIFICATIONS_EMAIL_STALL_GRACE = 2, 0
    smtp_server.delay = 0.04
    log = tmp_path / "workers.log"
    rows = [NotificationFactory(recipient=world["lead"], email_status=Status.PENDING) for _ in range(60)]
    for row in rows:
        tasks.send_notification_email.delay(row.pk)
    sent = Notification.objects.filter(email_status=Status.SENT)
    rng = random.Random(7)
    kills = 0
    for number in range(6):
        if sent.count() == len(rows):
            break
        process = worker_process(f"killed{number}", smtp_server.port, log)
        try:
            before = sent.count()
            assert wait_for(lambda before=before: sent.count() > before, 30), log.read_text()[-5000:]
            time.sleep(rng.uniform(0.0, 0.5))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait(10)
        finally:
            stop(process, signal.SIGKILL)
        # the 15-minute sweep, past the lease: every row left pending or sending is queued again (it
        # cannot tell whose task Redis lost), so the workers see many repeats, and skip them
        delivery.requeue_stalled_emails(now=timezone.now() + timedelta(seconds=3))
    # The last sweep once the last lease has passed for the workers too (they read the real clock):
    # every row left pending or sending is queued, whatever Redis kept of the dead workers' messages.
    time.sleep(settings.NOTIFICATIONS_EMAIL_LEASE + 0.2)
    delivery.requeue_stalled_emails()
    last = worker_process("last", smtp_server.port, log)
    try:
        assert wait_for(lambda: sent.count() == len(rows), 90), log.read_text()[-5000:]
    finally:
        stop(last)

    ids = [message["Message-ID"] for message in smtp_server.messages]
    assert set(ids) == {f"<notification.{row.pk}@localhost>" for row in rows}  # none lost
    doubled = len(ids) - len(set(ids))
    assert kills >= 3
    assert doubled <= kills, (doubled, kills)
    print(f"\n{len(rows)} mails, {kills} kills, {doubled} doubled")
