"""The two charts of the results, as plain SVG drawn by the templates from the geometry here: the
awarded amount in EUR by year of decision (bars) and the success rate by programme (horizontal bars).
The numbers stand beside each chart as a table, so the picture adds nothing a reader could miss.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear

from reports.filters import GroupBy
from reports.grouping import grouping, sort_key
from reports.rates import Conversion, RateBook, convert
from reports.results import Results, count_annotations, grouped_rows
from workflows.states import State

WIDTH, HEIGHT = 640, 260
LEFT, BOTTOM, TOP = 8, 28, 24
ROW_HEIGHT, LABEL_WIDTH, RATE_WIDTH = 26, 200, 380


@dataclass
class Bar:
    label: str
    value: Decimal | None
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    missing: set = field(default_factory=set)  # currencies a year's EUR total leaves out

    # where the templates write the numbers and names (SVG coordinates, never localised)
    @property
    def middle_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 5, 1)

    @property
    def middle_y(self) -> float:
        return round(self.y + self.height * 0.72, 1)

    @property
    def end_x(self) -> float:
        return round(self.x + self.width + 6, 1)


@dataclass
class Chart:
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM

    @property
    def label_y(self) -> int:
        return self.height - 8

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 6


def awarded_by_year(proposals, book: RateBook, *, until: int | None = None) -> Chart:
    """The EUR awarded per year of decision, each year at the rates valid on its 31 December (one
    query); `until` leaves out later years."""
    awarded = proposals.order_by().filter(state=State.AWARDED, decided_on__isnull=False)
    if until is not None:
        awarded = awarded.filter(decided_on__lte=date(until, 12, 31))
    sums = (
        awarded.annotate(year=ExtractYear("decided_on"))
        .values("year", "currency")
        .annotate(total=Sum("awarded_amount"))
    )
    per_year: dict[int, dict] = {}
    for row in sums:
        per_year.setdefault(row["year"], {})[row["currency"]] = row["total"] or Decimal(0)
    bars = []
    for year in sorted(per_year):
        conversion: Conversion = convert(per_year[year], book, date(year, 12, 31))
        bars.append(Bar(str(year), conversion.eur, missing=conversion.missing))
    return _columns(bars)


def _columns(bars: list[Bar]) -> Chart:
    chart = Chart(bars)
    top = max((bar.value for bar in bars), default=Decimal(0)) or Decimal(1)
    slot = (WIDTH - LEFT) / max(len(bars), 1)
    room = HEIGHT - BOTTOM - TOP
    for index, bar in enumerate(bars):
        bar.width = round(slot * 0.6, 1)
        bar.x = round(LEFT + slot * index + slot * 0.2, 1)
        bar.height = round(float(bar.value / top) * room, 1)
        bar.y = round(chart.baseline - bar.height, 1)
    return chart


def success_by_programme(proposals, found: Results) -> Chart:
    """Awarded / decided per programme: the results' own rows when grouped by programme, else one
    grouped count."""
    if found.group_by == GroupBy.PROGRAMME:
        rows = found.rows
    else:
        spec = grouping(GroupBy.PROGRAMME)
        grouped = grouped_rows(proposals.order_by(), spec, count_annotations())
        rows = sorted(grouped.values(), key=sort_key(spec))
    bars = [Bar(row.label, row.figures.success_rate) for row in rows if row.figures.decided]
    return _rows(bars)


def _rows(bars: list[Bar]) -> Chart:
    chart = Chart(bars, height=TOP + ROW_HEIGHT * max(len(bars), 1))
    for index, bar in enumerate(bars):
        bar.x = LABEL_WIDTH
        bar.y = TOP / 2 + ROW_HEIGHT * index
        bar.height = ROW_HEIGHT * 0.7
        bar.width = round(float(bar.value) / 100 * RATE_WIDTH, 1)
    return chart
