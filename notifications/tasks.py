"""Thin Celery wrappers around notifications services (acks late, rejected back to the queue if the
worker dies, so a message is never lost; the services make a redelivery harmless).

This module imports the services and none of them imports it: `delivery` and `outbox` publish the
tasks below by name (`SEND_EMAIL_TASK`, `RELAY_EVENT_TASK`), and `apps.ready` imports this module so
the names are registered in every process, eager ones included."""

from celery import shared_task

from grants_office.celery import publish
from notifications import call_watch, delivery, outbox, selectors, services

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


def _retry(task, error: Exception, countdown: int):
    """Retry later on a worker; run the retry at once when eager (embedded default, tests), where a
    raised Retry would escape to the caller."""
    if task.request.is_eager:
        return task.retry(exc=error, countdown=countdown, throw=False)
    raise task.retry(exc=error, countdown=countdown) from error


@shared_task(bind=True, name=delivery.SEND_EMAIL_TASK, max_retries=None, **RELIABLE)
def send_notification_email(self, notification_id: int) -> str:
    try:
        return delivery.deliver_email(notification_id)
    except delivery.SMTP_ERRORS as error:
        countdown = delivery.email_failed(notification_id, error, self.request.retries)
        if countdown is None:
            return selectors.email_status(notification_id)  # "failed", or "pending" for the sweep
        return _retry(self, error, countdown)


@shared_task(bind=True, name="notifications.send_digest", max_retries=None, **RELIABLE)
def send_digest(self, user_id: int) -> int:
    try:
        return delivery.deliver_digest(user_id)
    except delivery.SMTP_ERRORS as error:
        countdown = delivery.digest_failed(user_id, error, self.request.retries)
        if countdown is None:
            return 0
        return _retry(self, error, countdown)


@shared_task(name="notifications.send_daily_digest", **RELIABLE)
def send_daily_digest() -> int:
    """08:00 Europe/Istanbul: one digest task per person, so one bad address does not hold up others."""
    user_ids = selectors.digest_recipient_ids()
    for user_id in user_ids:
        publish(send_digest, user_id)
    return len(user_ids)


@shared_task(name="notifications.scan_reminders", **RELIABLE)
def scan_reminders() -> int:
    """Every 15 minutes: due reminders (each once), then e-mails whose task was lost."""
    created = services.scan_reminders()
    delivery.requeue_stalled_emails()
    return created


@shared_task(name=outbox.RELAY_EVENT_TASK, **RELIABLE)
def relay_outbox_event(pk: int) -> bool:
    """Published on commit of the change: the event's notifications (see notifications/outbox.py)."""
    return outbox.relay(pk)


@shared_task(name="notifications.relay_outbox", **RELIABLE)
def relay_outbox() -> int:
    """Every minute: events whose task was lost (a process died after commit, the broker was down)."""
    return outbox.relay_waiting()


@shared_task(name="notifications.send_call_watch", **RELIABLE)
def send_call_watch() -> int:
    """Mondays 08:30: each team hears of the new calls its municipality may lead (each call once)."""
    return call_watch.send_call_watch()
