"""The results' section of the demo: the exchange rates the office recorded (TCMB's EUR per lira, a
rate at the start of each year the stories span and one today), recorded through the service, and each
idea's registration dated before its story, so "days from idea to submission" reads as in life."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from demo import data
from demo.loader.shared import Demo
from reports import services
from workflows.models import Proposal

# EUR per lira on 2 January of the load's year, the year before, and so on back (TCMB's indicative
# rates as the office noted them; the lira keeps losing value), and today's.
YEAR_START_RATES = ("0.0210", "0.0240", "0.0270", "0.0300")
TODAY_RATE = "0.0205"
IDEA_LEAD_DAYS = 21  # an idea is registered about three weeks before the first meeting on it


def results(demo: Demo) -> None:
    office = demo.users[data.K]
    today = timezone.localdate(demo.now)
    for back, rate in enumerate(YEAR_START_RATES):
        day = date(today.year - back, 1, 2)
        if day <= today:
            _record(office, rate, day)
    if today.timetuple().tm_yday > 2:
        _record(office, TODAY_RATE, today)
    _ideas_registered_before_their_story(demo)


def _record(office, rate: str, day: date) -> None:
    services.record_exchange_rate(
        office, currency="TRY", rate=Decimal(rate), valid_on=day, source=f"TCMB {day:%Y-%m-%d}"
    )


def _ideas_registered_before_their_story(demo: Demo) -> None:
    """The services stamp an idea with the moment of the load; the stories hold earlier moments (the
    first consultation, the submission). The idea's registration is set three weeks before the first."""
    firsts = Proposal.objects.filter(pk__in=[p.pk for p in demo.proposals.values()]).annotate(
        first_meeting=Min("consultations__held_at")
    )
    for proposal in firsts:
        moments = [m for m in (proposal.first_meeting, proposal.submitted_at) if m is not None]
        if not moments:
            continue
        registered = min(moments) - timedelta(days=IDEA_LEAD_DAYS)
        if registered < proposal.created_at:
            Proposal.objects.filter(pk=proposal.pk).update(created_at=registered)
