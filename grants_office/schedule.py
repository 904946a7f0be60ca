"""Where background work runs and when: Celery's queues and routes, and the static beat schedule (one
beat process). Nothing here depends on the environment; `grants_office.settings` names each table as its
CELERY_ setting."""

from celery.schedules import crontab
from kombu import Exchange, Queue

# Two queues: "default" for everything, "mail" for e-mail, so a slow or failing mail server never
# holds up reminders or expiry. A worker started without -Q consumes both; scale out with
# `-Q default` and `-Q mail` on separate workers (see docs/notifications.md).
DEFAULT_QUEUE = "default"
QUEUES = [
    Queue("default", Exchange("default"), routing_key="default"),
    Queue("mail", Exchange("mail"), routing_key="mail"),
]
ROUTES = {
    "notifications.send_email": {"queue": "mail"},
    "notifications.send_digest": {"queue": "mail"},
}
# The static schedule (one beat process). Times are Europe/Istanbul (CELERY_TIMEZONE); a run that
# could not start within its period expires instead of piling up behind a stopped worker.
BEAT_SCHEDULE = {
    # the outbox's sweep: events whose task was lost (notifications/outbox.py)
    "relay-outbox": {
        "task": "notifications.relay_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "scan-reminders": {
        "task": "notifications.scan_reminders",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    "expire-overdue-proposals": {
        "task": "workflows.expire_overdue_proposals",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    "remove-abandoned-uploads": {
        "task": "documents.remove_abandoned_uploads",
        "schedule": crontab(minute=30),
        "options": {"expires": 50 * 60},
    },
    # answers kept for Idempotency-Key retries, forgotten after IDEMPOTENCY_KEY_TTL
    "remove-expired-idempotency-records": {
        "task": "core.remove_expired_idempotency_records",
        "schedule": crontab(minute=40),
        "options": {"expires": 50 * 60},
    },
    # API tokens past their expiry (the request path checks only the token it is given)
    "delete-expired-tokens": {
        "task": "core.delete_expired_tokens",
        "schedule": crontab(minute=50),
        "options": {"expires": 50 * 60},
    },
    # partner requests close themselves the day after their date to answer by (cooperation/tasks.py)
    # the retention job: what has outlived its period is destroyed or anonymised, and logged (privacy/)
    "apply-retention": {
        "task": "privacy.apply_retention",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 4 * 3600},
    },
    "close-expired-partner-requests": {
        "task": "cooperation.close_expired_partner_requests",
        "schedule": crontab(hour=0, minute=20),
        "options": {"expires": 4 * 3600},
    },
    # exports of a person's data: rebuild what a lost task left pending, delete files past their date
    "tend-data-exports": {
        "task": "privacy.tend_data_exports",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    "daily-digest": {
        "task": "notifications.send_daily_digest",
        "schedule": crontab(hour=8, minute=0),
        "options": {"expires": 4 * 3600},
    },
    # call watch: the week's new calls for each team (notifications/call_watch.py)
    "call-watch": {
        "task": "notifications.send_call_watch",
        "schedule": crontab(hour=8, minute=30, day_of_week="mon"),
        "options": {"expires": 4 * 3600},
    },
}
