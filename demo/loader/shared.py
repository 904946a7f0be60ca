"""What the sections share: the moment of loading, the rows by their keys in `demo.data`, and the
deadline arithmetic the calls and the conflict check both need."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from demo import data
from grants_office.calls.models import Call, FundingProgramme, Rubric, Theme
from grants_office.members.models import Municipality, Organisation
from workflows.models import Proposal

User = get_user_model()


class DemoConflict(Exception):
    """The database holds rows the demo would create, but not the demo itself."""


@dataclass
class Demo:
    """What the sections share: the moment of loading and the rows by their keys in demo/data/."""

    now: datetime
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    programmes: dict[str, FundingProgramme] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    calls: dict[str, Call] = field(default_factory=dict)
    final_deadlines: dict[str, datetime] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    rounds: dict[str, object] = field(default_factory=dict)  # proposal key -> its open review round

    def party(self, key: str):
        return self.municipalities.get(key) or self.organisations[key]

    def user(self, username: str | None):
        return None if username is None else self.users[username]

    def moment(self, when, call: Call | None = None) -> datetime:
        if isinstance(when, data.Ago):
            return self.now - timedelta(days=when.days, hours=when.hours)
        if isinstance(when, data.FromNow):
            return self.now + timedelta(days=when.days, hours=when.hours)
        if isinstance(when, data.BeforeDeadline):
            deadline = self.final_deadlines[_call_key(self, call)]
            return min(deadline, self.now) - timedelta(days=when.days, hours=when.hours)
        return when


def _call_key(demo: Demo, call: Call) -> str:
    return next(key for key, value in demo.calls.items() if value.pk == call.pk)


def bulk_create(model, rows: list) -> None:
    """bulk_create, then read the keys back where the database does not return them."""
    if not rows:
        return
    model.objects.bulk_create(rows)
    if rows[0].pk is None:  # pragma: no cover - SQLite and PostgreSQL both return keys
        raise RuntimeError(f"{model.__name__}: primary keys were not returned")


def call_texts(spec: dict, deadline: datetime) -> tuple[str, str]:
    """The call's reference and title with the deadline's year filled in."""
    year = {"year": deadline.year, "yy": f"{deadline.year % 100:02d}"}
    return spec["reference"].format(**year), spec["title"].format(**year)


def final_deadline(spec: dict, now: datetime) -> datetime:
    return deadline(now, spec["deadline_in_days"], spec["deadline_time"], spec["deadline_timezone"])


def deadline(now: datetime, days: int, hhmm: str, zone: str) -> datetime:
    """`days` from the load day at `hhmm` in the funder's zone, e.g. 5 days from now at 17:00 Brussels."""
    tz = ZoneInfo(zone)
    day = now.astimezone(tz).date() + timedelta(days=days)
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
