"""One part of what the service holds about a person: the rows (a queryset of the person) and how each
row is written into the export. Rows name other people by nothing: the export is the person's alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class Section:
    key: str
    label: Promise
    rows: Callable[[object], QuerySet]
    # (row, person) -> the row as the export writes it; the person, for rows that depend on who reads
    shown: Callable[[object, object], dict]


def value(item):
    """A JSON value: moments in UTC with their offset, dates as ISO days, amounts as text (exact)."""
    if isinstance(item, datetime):
        return item.astimezone(UTC).isoformat()
    if isinstance(item, date):
        return item.isoformat()
    if isinstance(item, Decimal):
        return str(item)
    return item


def row(**fields) -> dict:
    return {name: value(item) for name, item in fields.items()}
