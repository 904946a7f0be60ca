"""Thin Celery wrappers around cooperation's services."""

from celery import shared_task

from cooperation.services import requests


@shared_task(name="cooperation.close_expired_partner_requests", acks_late=True)
def close_expired_partner_requests() -> int:
    return len(requests.close_expired_requests())
