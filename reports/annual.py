"""The annual activity report the union's council receives: the year's results, per member
municipality and per programme, the consultations the office held, the expert reviews submitted and
capacity building (events, participants and certificates per member: reports.capacity).

A fixed number of queries whatever the year holds (about twenty): the results twice (submitted in the
year, decided in the year), four grouped queries for the members' lines, two for the consultations, one
for the reviews, one for the chart and one for the rates, which every part shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth

from grants_office.members.models import Municipality
from grants_office.members.provinces import turkish_key
from reports.capacity import CapacityYear, capacity_year
from reports.charts import Chart, awarded_by_year
from reports.filters import OFFICE_ZONE, GroupBy, YearOf, in_year, year_q, year_start
from reports.rates import Conversion, RateBook, convert
from reports.results import Results, compute
from reports.sql import count_distinct_per_key
from workflows.models import Consultation, Proposal, ProposalPartner
from workflows.review.models import ReviewAssignment
from workflows.states import AssignmentState, State


@dataclass
class MemberLine:
    name: str
    province: str = ""
    led: int = 0
    partnered: int = 0
    submitted: int = 0
    awarded: int = 0
    awarded_amount: dict[str, Decimal] = field(default_factory=dict)
    awarded_eur: Conversion | None = None
    consultations: int = 0


@dataclass
class AnnualReport:
    year: int
    submitted: Results  # the proposals submitted in the year, by programme
    decided: Results  # the proposals decided in the year, by programme
    members: list[MemberLine]
    members_total: MemberLine
    consultations: int
    consulted_members: int
    consultations_by_month: list[tuple[date, int]]
    reviews: dict
    awarded_chart: Chart
    capacity: CapacityYear

    @property
    def period_end(self) -> date:
        return date(self.year, 12, 31)


def annual_report(year: int) -> AnnualReport:
    book = RateBook()
    alive = Proposal.objects.alive()
    end = date(year, 12, 31)
    submitted = compute(
        in_year(alive, YearOf.SUBMISSION, year), group_by=GroupBy.PROGRAMME, period_end=end, book=book
    )
    decided = compute(
        in_year(alive, YearOf.DECISION, year),
        group_by=GroupBy.PROGRAMME,
        year_of=YearOf.DECISION,
        period_end=end,
        book=book,
    )
    members, total = _member_lines(year, book)
    held = _consultations(year)
    by_month, count = _consultations_by_month(held, year)
    return AnnualReport(
        year=year,
        submitted=submitted,
        decided=decided,
        members=members,
        members_total=total,
        consultations=count,
        consulted_members=sum(1 for line in members if line.consultations),
        consultations_by_month=by_month,
        reviews=_reviews(year),
        awarded_chart=awarded_by_year(alive, book, until=year),
        capacity=capacity_year(year),
    )


def _active_in(year: int):
    """The proposals something happened to in the year: started, submitted or decided."""
    moments = year_q(YearOf.START, year) | year_q(YearOf.SUBMISSION, year) | year_q(YearOf.DECISION, year)
    return Proposal.objects.alive().filter(moments).order_by()


def _member_lines(year: int, book: RateBook) -> tuple[list[MemberLine], MemberLine]:
    """A line for every member municipality (those with nothing too), in the Turkish order."""
    members = Municipality.objects.filter(membership_status=Municipality.Membership.MEMBER)
    lines = {m["id"]: MemberLine(m["name"], m["province"]) for m in members.values("id", "name", "province")}
    active = _active_in(year)
    decided_in_year = year_q(YearOf.DECISION, year) & Q(state=State.AWARDED)
    led = active.values("lead_id").annotate(
        led=Count("id"),
        submitted=Count("id", filter=year_q(YearOf.SUBMISSION, year)),
        awarded=Count("id", filter=decided_in_year),
    )
    for row in led:
        if row["lead_id"] in lines:
            line = lines[row["lead_id"]]
            line.led, line.submitted, line.awarded = row["led"], row["submitted"], row["awarded"]
    amounts = (
        active.filter(decided_in_year).values("lead_id", "currency").annotate(total=Sum("awarded_amount"))
    )
    for row in amounts:
        if row["lead_id"] in lines and row["total"] is not None:
            lines[row["lead_id"]].awarded_amount[row["currency"]] = row["total"]
    partnered = (
        ProposalPartner.objects.filter(proposal__in=active.values("pk"), municipality__isnull=False)
        .values("municipality_id")
        .annotate(count=Count("proposal", distinct=True))
    )
    for row in partnered:
        if row["municipality_id"] in lines:
            lines[row["municipality_id"]].partnered = row["count"]
    for municipality, count in _consultations_per_municipality(year).items():
        if municipality in lines:
            lines[municipality].consultations = count
    ordered = sorted(lines.values(), key=lambda line: (turkish_key(line.name), turkish_key(line.province)))
    return ordered, _total_line(ordered, book, date(year, 12, 31))


def _total_line(lines: list[MemberLine], book: RateBook, day: date) -> MemberLine:
    total = MemberLine(name="")
    for line in lines:
        line.awarded_eur = convert(line.awarded_amount, book, day)
        for name in ("led", "partnered", "submitted", "awarded", "consultations"):
            setattr(total, name, getattr(total, name) + getattr(line, name))
        for currency, amount in line.awarded_amount.items():
            total.awarded_amount[currency] = total.awarded_amount.get(currency, Decimal(0)) + amount
    total.awarded_eur = Conversion(sum((line.awarded_eur.eur for line in lines), Decimal(0)))
    for line in lines:
        total.awarded_eur.missing |= line.awarded_eur.missing
    return total


def _consultations(year: int):
    return Consultation.objects.filter(
        held_at__gte=year_start(year), held_at__lt=year_start(year + 1), proposal__deleted_at__isnull=True
    ).order_by()


def _consultations_per_municipality(year: int) -> dict:
    """Consultations held in the year on proposals each municipality leads or partners (one query)."""
    held = _consultations(year)
    leads = held.annotate(k=F("proposal__lead_id"), m=F("id")).values("k", "m")
    partners = (
        held.filter(proposal__partners__municipality__isnull=False)
        .annotate(k=F("proposal__partners__municipality_id"), m=F("id"))
        .values("k", "m")
    )
    return count_distinct_per_key(leads, partners)


def _consultations_by_month(held, year: int) -> tuple[list[tuple[date, int]], int]:
    counts = dict(
        held.annotate(month=ExtractMonth("held_at", tzinfo=OFFICE_ZONE))
        .values("month")
        .annotate(count=Count("id"))
        .values_list("month", "count")
    )
    months = [(date(year, month, 1), counts.get(month, 0)) for month in range(1, 13)]
    return months, sum(counts.values())


def _reviews(year: int) -> dict:
    """Expert reviews submitted in the year: how many, by how many experts, on how many proposals."""
    return ReviewAssignment.objects.filter(
        state=AssignmentState.SUBMITTED,
        review__submitted_at__gte=year_start(year),
        review__submitted_at__lt=year_start(year + 1),
        round__proposal__deleted_at__isnull=True,
    ).aggregate(
        reviews=Count("id"),
        reviewers=Count("reviewer", distinct=True),
        proposals=Count("round__proposal", distinct=True),
    )
