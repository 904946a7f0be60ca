"""Separate processes on the test database (PostgreSQL): Celery workers and one-off Django scripts,
for the tests whose promise is about a process that dies."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        message = "other processes share the test database: needs PostgreSQL (DATABASE_URL)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def wait_for(condition, timeout=30.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_process(name: str, smtp_port: int, log: Path) -> subprocess.Popen:
    """A separate `celery worker` process on the test database, mailing through the test SMTP server.

    Redis hands an unacknowledged message to another worker after `visibility_timeout` (3 s here,
    an hour in production); the send lease is 2 s here, 5 minutes in production.
    """
    broker = os.environ["REDIS_URL"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "grants_office.settings",
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker,
        "CELERY_BROKER_URL": broker,
        "CELERY_BROKER_TRANSPORT_OPTIONS": json.dumps(
            {"visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
        ),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_USE_SSL": "false",
        "NOTIFICATIONS_EMAIL_LEASE": "2",
        "EMAIL_TIMEOUT": "0.6",  # the lease must outlast 3 × the SMTP timeout (settings)
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
    with log.open("ab") as out:  # the worker writes to its own copy of the handle
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _script(code: str) -> tuple[list[str], dict]:
    """Django code for a new process on the test database (the test settings: eager tasks)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url()}
    env.pop("REDIS_URL", None)  # eager: the relay would run in this process, if it got so far
    return [sys.executable, "-c", "import django; django.setup()\n" + code], env


def run_script(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run Django code in a new process on the test database and wait for it."""
    command, env = _script(code)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def start_script(code: str) -> subprocess.Popen:
    """Start Django code in a new process on the test database; its output is a pipe."""
    command, env = _script(code)
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
