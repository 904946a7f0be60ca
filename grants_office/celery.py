"""The Celery application. Settings prefixed CELERY_ in grants_office.settings configure it."""

import logging
import os
import threading
import time

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grants_office.settings")

app = Celery("grants_office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

# After a failed publish, publishing is skipped for this long: a write during a broker outage pays
# one refused connection, not one per message (what it could not publish, a sweep picks up).
BROKER_BACKOFF_SECONDS = 15.0
_down_until = 0.0
_lock = threading.Lock()


def publish(task, *args) -> bool:
    """Hand a task to the workers without waiting on a broker that is down; True when it was sent.

    Only for tasks whose work a periodic sweep finds again from the database (the outbox, e-mails):
    a message that is not sent is late, never lost. Eager (the embedded default): the task runs now.
    """
    global _down_until
    if task.app.conf.task_always_eager:
        try:
            task.apply(args=args, throw=True)
        except Exception:
            logger.exception("Task %s failed; the sweep will retry", task.name)
            return False
        return True
    if time.monotonic() < _down_until:
        return False
    try:
        task.apply_async(args=args, retry=False)
    except Exception:
        with _lock:
            _down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("Broker unavailable: %s not sent, the sweep will pick it up", task.name, exc_info=True)
        return False
    return True
