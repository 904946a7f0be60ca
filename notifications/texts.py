"""A notification's title and body in the recipient's language and time zone (`render`)."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django.utils import formats, timezone
from django.utils.translation import get_language

from notifications.kinds import KINDS, NUMBERS


def _display(value, zone) -> str:
    """One context value as the recipient reads it: datetimes in their zone, dates and labels in
    their language (called inside translation.override); an object with `display_for(zone)` (call
    watch's list of calls) renders itself."""
    if hasattr(value, "display_for"):
        return value.display_for(zone)
    if isinstance(value, datetime):
        return _moment(value, zone, get_language())
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if value is None:
        return ""
    return str(value)


@lru_cache(maxsize=4096)
def _moment(value: datetime, zone, language: str) -> str:
    """A moment in a zone, in the active language (the key's `language`): a reminder scan formats the
    same few hundred deadlines for a hundred thousand people."""
    return formats.date_format(timezone.localtime(value, zone), "DATETIME_FORMAT")


def render(code: str, context: dict, zone) -> tuple[str, str]:
    """(title, body) of one notification in the active language; `zone` is the recipient's time zone."""
    kind = KINDS[code]
    values = {key: _display(value, zone) for key, value in context.items()}
    for number in NUMBERS:
        if number in context:
            values[number] = context[number]  # ngettext picks the plural from the number
    title = str(kind.title % values)
    body = str(kind.body % values)
    if kind.comment and context.get("comment"):
        body = f"{body}\n\n{kind.comment % values!s}"
    return title[:300], body
