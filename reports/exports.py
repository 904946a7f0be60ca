"""The results table as a file: one row per group, then the total row; amounts are numbers."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from grants_office.calls.models import Currency
from grants_office.core.tabular import Column, Sheet
from reports.filters import GroupBy
from reports.results import Results, Row

ZERO = Decimal("0.00")
COUNT_HEADERS = [
    ("started", _("Started")),
    ("submitted", _("Submitted")),
    ("awarded", _("Awarded")),
    ("rejected", _("Rejected")),
    ("ineligible", _("Ineligible")),
    ("reserve", _("On reserve")),
    ("pending", _("Pending")),
    ("stopped", _("Stopped")),
    ("decided", _("Decided")),
]


def _count(name: str):
    return lambda row: getattr(row.figures, name)


def _amount(attribute: str, currency: str):
    return lambda row: getattr(row.figures, attribute).get(currency, ZERO)


def results_columns(group_by: str) -> list[Column]:
    """The columns of the results table; the first names the group (the grouping's own word)."""
    columns = [Column(dict(GroupBy.CHOICES)[group_by], lambda row: row.label)]
    columns += [Column(header, _count(name)) for name, header in COUNT_HEADERS]
    columns += [
        Column(_("Success rate (%)"), lambda row: row.figures.success_rate),
        Column(_("Median days from idea to submission"), lambda row: row.figures.median_days),
        Column(_("Members served"), lambda row: row.figures.members_served),
    ]
    for attribute, eur, requested in (
        ("requested", "requested_eur", True),
        ("awarded_amount", "awarded_eur", False),
    ):
        for currency in Currency.values:
            header = _("Requested (%(currency)s)") if requested else _("Awarded (%(currency)s)")
            columns.append(Column(_Header(header, currency), _amount(attribute, currency)))
        total_header = _("Requested, EUR total") if requested else _("Awarded, EUR total")
        columns.append(Column(total_header, lambda row, eur=eur: getattr(row.figures, eur).eur))
    return columns


class _Header:
    """A header with the currency put in when the file is written (in the reader's language)."""

    def __init__(self, text, currency: str):
        self.text, self.currency = text, currency

    def __str__(self) -> str:
        return str(self.text) % {"currency": self.currency}


def results_rows(found: Results) -> list[Row]:
    """The groups, then the total."""
    return [*found.rows, Row(None, str(_("Total")), found.total)]


def results_filename(found: Results) -> str:
    year = found.applied.get("year")
    return f"results-{year}-{found.group_by}" if year else f"results-{found.group_by}"


def annual_sheets(report) -> list[Sheet]:
    """The annual report's workbook: a sheet per section of the PDF."""
    summary = [
        (_("Submitted in the year"), report.submitted.total.submitted),
        (_("Requested, EUR total (submitted in the year)"), report.submitted.total.requested_eur.eur),
        (_("Decided in the year"), report.decided.total.decided),
        (_("Awarded"), report.decided.total.awarded),
        (_("Rejected"), report.decided.total.rejected),
        (_("Ineligible"), report.decided.total.ineligible),
        (_("On reserve"), report.decided.total.reserve),
        (_("Success rate (%)"), report.decided.total.success_rate),
        (_("Awarded, EUR total"), report.decided.total.awarded_eur.eur),
        (_("Members served"), report.submitted.members_served),
        (_("Consultations held"), report.consultations),
        (_("Members consulted"), report.consulted_members),
        (_("Expert reviews submitted"), report.reviews["reviews"]),
        (_("Experts who reviewed"), report.reviews["reviewers"]),
        (_("Proposals reviewed"), report.reviews["proposals"]),
        (_("Events held"), report.capacity.events),
        (_("Participants"), report.capacity.participants),
        (_("Certificates issued"), report.capacity.certificates),
        (_("Members without a project team reached"), report.capacity.reached_without_team),
    ]
    pair = [Column(_("Figure"), lambda row: str(row[0])), Column(_("Value"), lambda row: row[1])]
    return [
        Sheet(_("Summary"), pair, summary),
        Sheet(
            _("Submitted by programme"), results_columns(GroupBy.PROGRAMME), results_rows(report.submitted)
        ),
        Sheet(_("Decided by programme"), results_columns(GroupBy.PROGRAMME), results_rows(report.decided)),
        Sheet(_("Members"), member_columns(), [*report.members, report.members_total]),
        Sheet(
            _("Consultations"),
            [Column(_("Month"), lambda row: row[0]), Column(_("Consultations"), lambda row: row[1])],
            report.consultations_by_month,
        ),
        Sheet(_("Capacity building"), capacity_columns(), report.capacity.members),
        Sheet(
            _("Awarded by year"),
            [
                Column(_("Year of decision"), lambda bar: int(bar.label)),
                Column(_("Awarded, EUR"), lambda bar: bar.value),
            ],
            report.awarded_chart.bars,
        ),
    ]


def capacity_columns() -> list[Column]:
    return [
        Column(_("Municipality"), lambda line: line.name),
        Column(_("Province"), lambda line: line.province),
        Column(_("Has a project team"), lambda line: str(_("yes") if line.has_project_team else _("no"))),
        Column(_("Events attended"), lambda line: line.events),
        Column(_("Participants"), lambda line: line.participants),
        Column(_("Certificates"), lambda line: line.certificates),
    ]


def member_columns() -> list[Column]:
    columns = [
        Column(_("Municipality"), lambda line: line.name or str(_("Total"))),
        Column(_("Province"), lambda line: line.province),
        Column(_("Proposals led"), lambda line: line.led),
        Column(_("Proposals partnered"), lambda line: line.partnered),
        Column(_("Submitted"), lambda line: line.submitted),
        Column(_("Awarded"), lambda line: line.awarded),
    ]
    for currency in Currency.values:
        columns.append(
            Column(
                _Header(_("Awarded (%(currency)s)"), currency),
                lambda line, currency=currency: line.awarded_amount.get(currency, ZERO),
            )
        )
    columns += [
        Column(_("Awarded, EUR total"), lambda line: line.awarded_eur.eur),
        Column(_("Consultations"), lambda line: line.consultations),
    ]
    return columns
