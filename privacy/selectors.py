"""Reads of the audit trail, newest first."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models import QuerySet

from grants_office.core import audit
from grants_office.core.people import display_name
from privacy.filters import ACTION_CHOICES, ACTIONS, model_key

ACTION_NAMES = {number: name for name, number in ACTIONS.items()}
ACTION_LABELS = dict(ACTION_CHOICES)


def _read(entry: LogEntry) -> str:
    """What a read entry says was read (`export`, `person`); empty for a change."""
    if entry.action != LogEntry.Action.ACCESS:
        return ""
    return (entry.additional_data or {}).get("read", "")


def trail() -> QuerySet[LogEntry]:
    """Every entry with its author; the order is the cursor's (`?cursor=`), by time and then id."""
    return LogEntry.objects.select_related("actor").order_by("-timestamp", "-id")


def rows(entries: list[LogEntry]) -> list[dict]:
    """The entries as the page and the API show them: who, when, what happened to which record, each
    changed field's old and new value (one query per kind of related row for the whole page)."""
    changes = audit.described(entries)
    shown = []
    for entry in entries:
        model = audit.model_of(entry)
        shown.append(
            {
                "id": entry.pk,
                "at": entry.timestamp,
                "action": ACTION_NAMES.get(entry.action, ""),
                "action_label": ACTION_LABELS.get(ACTION_NAMES.get(entry.action), ""),
                "actor": entry.actor,
                "actor_name": display_name(entry.actor) or None,
                "model": model_key(model) if model else "",
                "model_label": str(model._meta.verbose_name) if model else "",
                "object_id": entry.object_id,
                "object": entry.object_repr,
                "changes": changes[entry.pk],
                "read": _read(entry),
                "address": entry.remote_addr,
            }
        )
    return shown
