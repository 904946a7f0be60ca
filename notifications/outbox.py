"""The transactional outbox: a domain signal becomes a row in the transaction of the change that
sends it; the relay turns the row into notifications after commit.

Nothing is lost: the row commits with the change, so a process that dies after the commit leaves the
row for the sweep. Nothing is doubled: the relay locks the row, writes the notifications and marks the
row relayed in one transaction, and every notification's occasion carries the row's event id, so a
second relay of the same event (a redelivered task, the sweep next to a live task) writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from grants_office.celery import app as celery_app
from grants_office.celery import publish
from notifications import services
from notifications.events import Event
from notifications.models import OutboxEvent

logger = logging.getLogger(__name__)

# Arguments that may be gone by the time of the relay without making the event pointless.
OPTIONAL = {"by"}
# A relay that fails (a bug, a database error) is tried again after 1, 2, 4 ... minutes, at most an hour.
MAX_BACKOFF_MINUTES = 60
# Rows younger than this are left to the task published on commit; older ones are the sweep's.
SWEEP_GRACE = timedelta(seconds=30)
SWEEP_BATCH = 500
KEEP_RELAYED = timedelta(days=7)
# The task that relays one row (`tasks.relay_outbox_event`), published by name: the task module imports
# this one, not the other way round.
RELAY_EVENT_TASK = "notifications.relay_outbox_event"


def _dump(value):
    if isinstance(value, models.Model):
        return {"model": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, list | tuple):
        return [_dump(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} cannot go into the outbox")


def _is_reference(value) -> bool:
    return isinstance(value, dict) and set(value) == {"model", "pk"}


def _load(value):
    if _is_reference(value):
        return apps.get_model(value["model"])._default_manager.filter(pk=value["pk"]).first()
    if isinstance(value, list):
        return [_load(item) for item in value]
    return value


def record(signal: str, **arguments) -> OutboxEvent:
    """Write the event in the caller's transaction and relay it once that transaction commits."""
    row = OutboxEvent.objects.create(signal=signal, payload={k: _dump(v) for k, v in arguments.items()})
    transaction.on_commit(partial(publish, celery_app.signature(RELAY_EVENT_TASK), row.pk))
    return row


# signal name -> a function of the signal's arguments returning the event(s) to notify; set by receivers.
BUILDERS: dict[str, Callable[..., Event | list[Event] | None]] = {}


def _events_of(row: OutboxEvent) -> list[Event]:
    arguments = {}
    for name, stored in row.payload.items():
        value = _load(stored)
        if value is None and _is_reference(stored) and name not in OPTIONAL:
            return []  # what the event is about was deleted since: nobody is told
        arguments[name] = value
    built = BUILDERS[row.signal](**arguments)
    found = [event for event in (built if isinstance(built, list) else [built]) if event is not None]
    for number, event in enumerate(found):
        event.occasion = f"event {row.event_id}" + (f".{number}" if number else "")
    return found


def relay(pk: int) -> bool:
    """Turn one row into notifications; False when it was relayed already or is being relayed."""
    with transaction.atomic():
        row = OutboxEvent.objects.select_for_update(skip_locked=True).filter(pk=pk, relayed_at=None).first()
        if row is None:
            return False
        row.attempts += 1
        try:
            with transaction.atomic():
                services.notify_many(_events_of(row))
        except Exception as error:
            # A savepoint: the notifications roll back, the attempt and its error are kept.
            logger.exception("Relay of outbox event %s failed", row.event_id)
            minutes = min(2 ** (row.attempts - 1), MAX_BACKOFF_MINUTES)
            row.next_attempt_at = timezone.now() + timedelta(minutes=minutes)
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            row.save(update_fields=["attempts", "next_attempt_at", "last_error"])
            return False
        row.relayed_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["attempts", "relayed_at", "last_error"])
    return True


def relay_waiting(now=None, limit: int = SWEEP_BATCH) -> int:
    """The sweep: relay rows whose task was lost (a process died after commit, the broker was down),
    each in its own transaction, so dying in the middle costs at most one row's work."""
    now = now or timezone.now()
    waiting = OutboxEvent.objects.filter(
        relayed_at=None, next_attempt_at__lte=now, created_at__lt=now - SWEEP_GRACE
    ).order_by("next_attempt_at", "id")
    relayed = sum(relay(pk) for pk in waiting.values_list("pk", flat=True)[:limit])
    OutboxEvent.objects.filter(relayed_at__lt=now - KEEP_RELAYED).delete()
    return relayed
