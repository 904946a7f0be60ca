"""Thin Celery wrappers around workflows services."""

from celery import shared_task

from workflows import services


@shared_task(name="workflows.expire_overdue_proposals", acks_late=True)
def expire_overdue_proposals() -> int:
    return len(services.expire_overdue())
