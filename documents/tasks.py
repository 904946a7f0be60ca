"""Thin Celery wrappers around documents services."""

from celery import shared_task

from documents import services


@shared_task(name="documents.remove_abandoned_uploads", acks_late=True)
def remove_abandoned_uploads() -> int:
    return services.remove_abandoned_uploads()
