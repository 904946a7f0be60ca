"""The office's results: what became of the proposals that match the filters, in a fixed number of
queries whatever their number (reads only).

One grouped query counts (and, on PostgreSQL, takes the median with `percentile_cont`), one sums the
amounts per group and currency, one counts the total, one the members each group served and one reads
the members with whether the set served them; SQLite's median reads the durations (one query more), and
the rates are one small query. Every proposal falls in exactly one group, so the rows add up to the
total row; the EUR total is the sum of the rows' EUR amounts, each converted and rounded to the cent.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, Exists, F, OuterRef, Q, Sum

from grants_office.members.models import Municipality
from grants_office.members.provinces import turkish_key
from reports.filters import GroupBy, ResultsFilter, YearOf
from reports.grouping import Grouping, grouping, sort_key
from reports.rates import Conversion, RateBook, convert, not_converted_message
from reports.sql import count_distinct_per_key
from workflows.models import ProposalPartner
from workflows.states import State

# Closed without a decision: dropped, withdrawn or expired (neither open nor gone to a decision).
STOPPED = tuple(s for s in State.values if s not in State.OPEN and s not in State.AFTER_SUBMISSION)
SUBMITTED = Q(submitted_at__isnull=False)
COUNTS = ("started", "submitted", "awarded", "rejected", "ineligible", "reserve", "pending", "stopped")
MEMBER = Municipality.Membership.MEMBER


class Median(Aggregate):
    """PostgreSQL's median (the mean of the two middle values for an even count, as `statistics`)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def count_annotations() -> dict:
    state = lambda *states: Q(state__in=states)  # noqa: E731
    return {
        "started": Count("id"),
        "submitted": Count("id", filter=SUBMITTED),
        "awarded": Count("id", filter=state(State.AWARDED)),
        "rejected": Count("id", filter=state(State.REJECTED)),
        "ineligible": Count("id", filter=state(State.INELIGIBLE)),
        "reserve": Count("id", filter=state(State.RESERVE)),
        "pending": Count("id", filter=SUBMITTED & Q(state__in=State.OPEN) & ~Q(state=State.RESERVE)),
        "stopped": Count("id", filter=Q(state__in=STOPPED)),
    }


def _median_in_sql() -> bool:
    return connection.vendor == "postgresql"


def _days(duration: timedelta | None) -> Decimal | None:
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / 86400).quantize(Decimal("0.1"))


@dataclass
class Figures:
    started: int = 0
    submitted: int = 0
    awarded: int = 0
    rejected: int = 0
    ineligible: int = 0
    reserve: int = 0
    pending: int = 0
    stopped: int = 0
    median_days: Decimal | None = None  # from the idea to the submission, submitted ones
    members_served: int = 0
    requested: dict[str, Decimal] = field(default_factory=dict)  # per currency, submitted ones
    awarded_amount: dict[str, Decimal] = field(default_factory=dict)  # per currency, awarded ones
    requested_eur: Conversion | None = None
    awarded_eur: Conversion | None = None

    @property
    def decided(self) -> int:
        return self.awarded + self.rejected + self.ineligible

    @property
    def success_rate(self) -> Decimal | None:
        """Awarded out of decided, in percent; None (shown "–") when nothing is decided."""
        if not self.decided:
            return None
        return (Decimal(100 * self.awarded) / self.decided).quantize(Decimal("0.1"))

    def set_counts(self, row: dict) -> None:
        for name in COUNTS:
            setattr(self, name, row[name])


@dataclass
class Row:
    key: object
    label: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class Results:
    group_by: str
    year_of: str
    period_end: date
    rows: list[Row]
    total: Figures
    rates_used: list = field(default_factory=list)
    not_converted: list[tuple[str, str]] = field(default_factory=list)  # (currency, sentence)
    members_not_served: list[dict] = field(default_factory=list)
    applied: dict = field(default_factory=dict)

    @property
    def members_served(self) -> int:
        return self.total.members_served


def results(filterset: ResultsFilter, book: RateBook | None = None) -> Results:
    """The results of a validated filter set (`reports.filters.results_filter`)."""
    found = compute(
        filterset.qs,
        group_by=filterset.grouped_by,
        year_of=filterset.counted_by,
        period_end=filterset.period_end(),
        book=book,
    )
    found.applied = filterset.applied()
    return found


def compute(
    proposals, *, group_by: str, year_of: str = YearOf.SUBMISSION, period_end: date, book=None
) -> Results:
    proposals = proposals.order_by()
    spec = grouping(group_by, year_of)
    counts = count_annotations()
    if _median_in_sql():
        counts["median"] = Median(F("submitted_at") - F("created_at"))
    rows = grouped_rows(proposals, spec, counts)
    totals = proposals.aggregate(**counts)
    total = Figures(median_days=_days(totals.get("median")))
    total.set_counts(totals)
    _add_amounts(proposals, spec, rows, total)
    if not _median_in_sql():
        _medians_in_python(proposals, spec, rows, total)
    served, not_served = _members(proposals, spec, rows)
    total.members_served = served
    ordered = sorted(rows.values(), key=sort_key(spec))
    found = Results(group_by, year_of, period_end, ordered, total, members_not_served=not_served)
    _convert(found, book or RateBook())
    return found


def grouped_rows(proposals, spec: Grouping, counts: dict) -> dict[object, Row]:
    """A row per group with the `counts` (`count_annotations`, and the median if asked): one query."""
    grouped = proposals.annotate(group_key=spec.key("")).values("group_key", *spec.label_fields)
    rows: dict[object, Row] = {}
    for values in grouped.annotate(**counts):
        key = values["group_key"]
        row = rows[key] = Row(key, spec.none_label if key is None else str(spec.label(values)))
        row.figures.set_counts(values)
        row.figures.median_days = _days(values.get("median"))
    return rows


def _add_amounts(proposals, spec: Grouping, rows: dict, total: Figures) -> None:
    sums = (
        proposals.annotate(group_key=spec.key(""))
        .values("group_key", "currency")
        .annotate(
            requested=Sum("requested_amount", filter=SUBMITTED),
            awarded=Sum("awarded_amount", filter=Q(state=State.AWARDED)),
        )
    )
    for values in sums:
        figures = rows[values["group_key"]].figures
        for name, target in (("requested", "requested"), ("awarded", "awarded_amount")):
            amount = values[name]
            if amount is None:
                continue
            for into in (getattr(figures, target), getattr(total, target)):
                into[values["currency"]] = into.get(values["currency"], Decimal(0)) + amount


def _medians_in_python(proposals, spec: Grouping, rows: dict, total: Figures) -> None:
    durations: dict[object, list[timedelta]] = {}
    moments = proposals.filter(SUBMITTED).annotate(group_key=spec.key(""))
    for key, created, submitted in moments.values_list("group_key", "created_at", "submitted_at"):
        durations.setdefault(key, []).append(submitted - created)
    for key, values in durations.items():
        rows[key].figures.median_days = _days(statistics.median(values))
    everything = [value for values in durations.values() for value in values]
    total.median_days = _days(statistics.median(everything)) if everything else None


def _members(proposals, spec: Grouping, rows: dict) -> tuple[int, list[dict]]:
    """How many member municipalities each group served (leads or partners), and over the whole set
    how many were served and which were not (Turkish order, with their province)."""
    leads = (
        proposals.filter(lead__membership_status=MEMBER)
        .annotate(k=spec.key(""), m=F("lead_id"))
        .values("k", "m")
    )
    partners = (
        ProposalPartner.objects.filter(
            proposal__in=proposals.values("pk"), municipality__membership_status=MEMBER
        )
        .annotate(k=spec.key("proposal__"), m=F("municipality_id"))
        .values("k", "m")
        .order_by()
    )
    for key, count in count_distinct_per_key(leads, partners).items():
        if key in rows:
            rows[key].figures.members_served = count
    members = (
        Municipality.objects.filter(membership_status=MEMBER)
        .annotate(
            led=Exists(proposals.filter(lead=OuterRef("pk"))),
            partnered=Exists(
                ProposalPartner.objects.filter(
                    municipality=OuterRef("pk"), proposal__in=proposals.values("pk")
                )
            ),
        )
        .values("id", "name", "province", "led", "partnered")
        .order_by()
    )
    served, not_served = 0, []
    for member in members:
        if member["led"] or member["partnered"]:
            served += 1
        else:
            not_served.append({"id": member["id"], "name": member["name"], "province": member["province"]})
    not_served.sort(key=lambda m: (turkish_key(m["name"]), turkish_key(m["province"])))
    return served, not_served


def _row_day(found: Results, row: Row) -> date:
    """A year's row converts at that year's end; every other row at the end of the period reported."""
    if found.group_by == GroupBy.YEAR and row.key is not None:
        return date(int(row.key), 12, 31)
    return found.period_end


def _convert(found: Results, book: RateBook) -> None:
    used, missing = {}, {}
    total = found.total
    total.requested_eur, total.awarded_eur = Conversion(Decimal(0)), Conversion(Decimal(0))
    for row in found.rows:
        day = _row_day(found, row)
        figures = row.figures
        figures.requested_eur = convert(figures.requested, book, day)
        figures.awarded_eur = convert(figures.awarded_amount, book, day)
        for mine, into in (
            (figures.requested_eur, total.requested_eur),
            (figures.awarded_eur, total.awarded_eur),
        ):
            into.eur += mine.eur
            into.used.update(mine.used)
            into.missing |= mine.missing
            used.update({(rate.currency, rate.valid_on): rate for rate in mine.used.values()})
            missing.update({(currency, day): None for currency in mine.missing})
    found.rates_used = sorted(used.values(), key=lambda rate: (rate.currency, rate.valid_on))
    found.not_converted = [
        (currency, not_converted_message(currency, day)) for currency, day in sorted(missing)
    ]
