"""Thin Celery wrappers around the project's own housekeeping."""

from celery import shared_task

from grants_office.core import idempotency


@shared_task(name="core.remove_expired_idempotency_records", acks_late=True)
def remove_expired_idempotency_records() -> int:
    return idempotency.remove_expired_records()
