"""Thin Celery wrappers around the project's own housekeeping."""

from celery import shared_task

from grants_office.core import idempotency, tokens


@shared_task(name="core.remove_expired_idempotency_records", acks_late=True)
def remove_expired_idempotency_records() -> int:
    return idempotency.remove_expired_records()


@shared_task(name="core.delete_expired_tokens", acks_late=True)
def delete_expired_tokens() -> int:
    return tokens.delete_expired()
