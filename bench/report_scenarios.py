"""The office's results report at scale: the figures over every proposal, grouped as the board asks."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import ExtractYear

from bench.run import Case
from workflows.models import Proposal


def busiest_submission_year() -> int | None:
    row = (
        Proposal.objects.filter(submitted_at__isnull=False)
        .annotate(year=ExtractYear("submitted_at"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["year"] if row else None


def report_cases() -> list[Case]:
    year = busiest_submission_year()
    cases = [
        ("results report, office, every proposal", "/api/v1/reports/results/"),
        ("results report, by programme", "/api/v1/reports/results/?group_by=programme"),
        (
            f"results report, submissions of {year}, by municipality",
            f"/api/v1/reports/results/?year={year}&year_of=submission&group_by=municipality",
        ),
        ("results report, by year of decision", "/api/v1/reports/results/?year_of=decision&group_by=year"),
    ]
    return [Case(name, "office", url, samples=6) for name, url in cases]
