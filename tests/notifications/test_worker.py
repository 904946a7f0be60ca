"""Real Celery workers on Redis (REDIS_URL): a transition reaches a worker that sends the mail, and a
worker killed in the middle of sending leaves a message that a new worker sends exactly once."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection

from notifications import tasks
from notifications.models import Notification
from tests.notifications.factories import NotificationFactory
from workflows import services as workflow_services
from workflows.models import Proposal, State

Status = Notification.EmailStatus
ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, timeout=30.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


@pytest.mark.django_db(transaction=True)
def test_transition_is_mailed_by_a_real_worker(world, celery_worker):
    Proposal.objects.filter(pk=world["proposal"].pk).update(state=State.READY)

    workflow_services.perform_transition(world["proposal"], "reopen", world["lead"], comment="New budget")

    # the web side wrote the rows; the worker thread took the e-mails from Redis and sent them
    assert Notification.objects.filter(kind="proposal_transitioned").count() == 3
    assert wait_for(lambda: len(mail.outbox) == 3), [m.to for m in mail.outbox]
    assert sorted(to for m in mail.outbox for to in m.to) == sorted(
        world[name].email for name in ("coordinator", "partner", "teammate")
    )
    assert wait_for(lambda: not Notification.objects.exclude(email_status=Status.SENT).exists())


@pytest.mark.django_db(transaction=True)
def test_reminder_scan_and_digest_run_on_a_real_worker(world, celery_worker):
    from datetime import timedelta

    from django.utils import timezone

    from workflows.models import Call

    Call.objects.filter(pk=world["call"].pk).update(deadline=timezone.now() + timedelta(hours=20))
    tasks.scan_reminders.delay()
    tasks.scan_reminders.delay()  # a second scan right behind it
    assert wait_for(lambda: len(mail.outbox) == 4)
    time.sleep(0.5)
    assert Notification.objects.filter(kind="call_deadline_approaching").count() == 4
    assert len(mail.outbox) == 4


# --- a worker killed while sending --------------------------------------------------------------------
def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker_process(name: str, smtp_port: int, log: Path) -> subprocess.Popen:
    """A separate `celery worker` process on the test database, mailing through the test SMTP server.

    Redis hands an unacknowledged message to another worker after `visibility_timeout` (3 s here,
    an hour in production); the send lease is 1 s here, 5 minutes in production.
    """
    broker = os.environ["REDIS_URL"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "grants_office.settings",
        "DEBUG": "true",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": broker,
        "CELERY_BROKER_URL": broker,
        "CELERY_BROKER_TRANSPORT_OPTIONS": json.dumps(
            {"visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
        ),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_USE_SSL": "false",
        "NOTIFICATIONS_EMAIL_LEASE": "1",
        "LANGUAGE_CODE": django_settings.LANGUAGE_CODE,
    }
    command = [sys.executable, "-m", "celery", "-A", "grants_office", "worker", "-P", "solo", "-c", "1"]
    command += [
        "-l",
        "info",
        "-n",
        f"{name}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_while_sending_mails_once_after_a_new_worker_starts(
    world, broker, smtp_server, tmp_path
):
    if connection.vendor != "postgresql":
        message = "worker processes share the test database: needs PostgreSQL (DATABASE_URL)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    log = tmp_path / "workers.log"
    row = NotificationFactory(recipient=world["lead"], email_status=Status.PENDING)
    smtp_server.hold = threading.Event()  # the server keeps the first DATA waiting...

    first = _worker_process("first", smtp_server.port, log)
    try:
        tasks.send_notification_email.delay(row.pk)
        assert smtp_server.entered.wait(60), log.read_text()
        row.refresh_from_db()
        assert (row.email_status, row.email_attempts) == (Status.SENDING, 1)
        first.send_signal(signal.SIGKILL)  # ...while the worker dies, message taken but not acknowledged
        first.wait(10)
    finally:
        _stop(first, signal.SIGKILL)
    smtp_server.hold.set()
    assert smtp_server.messages == []

    second = _worker_process("second", smtp_server.port, log)
    try:
        sent = wait_for(lambda: Notification.objects.filter(pk=row.pk, email_status=Status.SENT).exists(), 60)
        assert sent, log.read_text()[-5000:]
        time.sleep(4)  # past another visibility timeout: nothing else arrives
    finally:
        _stop(second)

    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["To"] == world["lead"].email
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts) == (Status.SENT, 2)
