"""When things happen in the stories: moments relative to the load, or to a call's deadline."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Ago:
    """A moment this long before the load."""

    days: int = 0
    hours: int = 0


@dataclass(frozen=True)
class BeforeDeadline:
    """A moment this long before the call's (final) deadline."""

    days: int = 0
    hours: int = 0


@dataclass(frozen=True)
class FromNow:
    days: int = 0
    hours: int = 0


def since(years: int, month: int = 1, day: int = 1) -> date:
    return date(date.today().year - years, month, day)
