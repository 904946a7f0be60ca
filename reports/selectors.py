"""The reports' reads besides the results themselves (reports/results.py, reports/annual.py)."""

from __future__ import annotations

from django.db.models import Min
from django.utils import timezone

from reports.filters import FIRST_YEAR, OFFICE_ZONE
from reports.models import ExchangeRate
from workflows.models import Proposal


def exchange_rates():
    """Every recorded rate, newest first, with who recorded it (one query)."""
    return ExchangeRate.objects.select_related("recorded_by").order_by("-valid_on", "currency")


def report_years() -> list[int]:
    """The years an annual report has something for: from the first submission or decision to this
    year, newest first (one query)."""
    first = Proposal.objects.alive().aggregate(submitted=Min("submitted_at"), decided=Min("decided_on"))
    this_year = timezone.localdate().year
    years = [this_year]
    if first["submitted"] is not None:
        years.append(first["submitted"].astimezone(OFFICE_ZONE).year)
    if first["decided"] is not None:
        years.append(first["decided"].year)
    return list(range(this_year, max(min(years), FIRST_YEAR) - 1, -1))
