"""The load: the sections in order, in one transaction, unless the demo is there already."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from demo import data
from demo.loader.calls import calendar, calls
from demo.loader.cooperation import cooperation
from demo.loader.events import events
from demo.loader.people import people
from demo.loader.personal_data import personal_data
from demo.loader.registry import reference, registry
from demo.loader.reports import results
from demo.loader.shared import Demo, DemoConflict, User, call_texts, final_deadline
from demo.loader.sign_in import second_factors
from demo.loader.stories import decisions, proposals
from demo.loader.tables import saved_filters
from demo.loader.trail import trail
from events.models import Certificate, Event
from grants_office.calls.models import Call, FundingProgramme
from grants_office.members.models import Municipality, Organisation
from workflows.models import Proposal

SECTIONS = [
    registry,
    reference,
    calls,
    people,
    second_factors,
    proposals,
    calendar,
    decisions,
    results,
    saved_filters,
    cooperation,
    events,
    trail,
    personal_data,
]


@dataclass
class Result:
    loaded: bool  # False: it was there already
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def load() -> Result:
    """Load the demo unless it is there; raise DemoConflict if its people or calls exist without it."""
    started = time.monotonic()
    with transaction.atomic():
        if is_loaded():
            return Result(loaded=False, counts=counts())
        demo = Demo(now=timezone.now())
        check_conflicts(demo.now)
        for section in SECTIONS:
            section(demo)
    return Result(loaded=True, seconds=time.monotonic() - started, counts=counts())


def is_loaded() -> bool:
    return User.objects.filter(username=data.MARKER_USERNAME, email=data.MARKER_EMAIL).exists()


def check_conflicts(now) -> None:
    """Refuse to mix the demo into a database that already holds its people or calls but not the demo."""
    references = [call_texts(spec, final_deadline(spec, now))[0] for spec in data.CALLS]
    taken_users = sorted(
        User.objects.filter(username__in=[u["username"] for u in data.USERS]).values_list(
            "username", flat=True
        )
    )
    taken_calls = sorted(Call.objects.filter(reference__in=references).values_list("reference", flat=True))
    if taken_users or taken_calls:
        raise DemoConflict(
            "The database already has some of the demo's users or calls but not the demo itself: "
            + ", ".join(taken_users + taken_calls)
            + ". Use an empty database for the demo."
        )


def counts() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "programmes": FundingProgramme.objects.count(),
        "calls": Call.objects.count(),
        "users": User.objects.count(),
        "proposals": Proposal.objects.count(),
        "events": Event.objects.count(),
        "certificates": Certificate.objects.count(),
    }
