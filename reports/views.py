"""The reports' pages (office staff; everyone else is refused as on the pipeline board): the results
dashboard, the exchange rates, and the annual activity report as PDF and XLSX."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from grants_office.core.pages import perform
from grants_office.core.pdf import pdf_page
from grants_office.core.tabular import workbook_response
from reports import selectors, services
from reports.annual import annual_report
from reports.capacity import capacity_year
from reports.charts import awarded_by_year, success_by_programme
from reports.exports import annual_sheets
from reports.filters import FIRST_YEAR, LAST_YEAR, GroupBy, results_filterset
from reports.forms import ExchangeRateForm
from reports.permissions import sees_results
from reports.rates import RateBook
from reports.results import results


def _office_only(request) -> None:
    if not sees_results(request.user):
        raise PermissionDenied


@login_required
@require_GET
def dashboard(request):
    """The board's yearly question in two clicks: choose the year (and a grouping), read, export."""
    _office_only(request)
    filters = results_filterset(request.GET, request=request)
    context = {"filters": filters, "nav_active": "results", "years": selectors.report_years()}
    if not filters.is_valid():
        return render(request, "reports/dashboard.html", context, status=400)
    book = RateBook()
    found = results(filters, book)
    context |= {
        "found": found,
        "awarded_chart": awarded_by_year(filters.qs, book),
        "success_chart": success_by_programme(filters.qs, found),
        "query": urlencode(found.applied),
        "group_label": dict(GroupBy.CHOICES)[found.group_by],
        # trainings, participants and certificates of the chosen year (this year without one)
        "capacity": capacity_year(found.applied.get("year") or timezone.localdate().year),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rates(request):
    """The exchange rates the office recorded, and the form to record one."""
    _office_only(request)
    form = ExchangeRateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = perform(form, services.record_exchange_rate, request.user, **form.cleaned_data)
            if outcome.ok:
                messages.success(request, _("The exchange rate is recorded."))
                return redirect("reports:rates")
            status = outcome.status
    context = {"form": form, "rates": selectors.exchange_rates(), "nav_active": "results"}
    return render(request, "reports/rates.html", context, status=status)


def _annual(request, year: int):
    _office_only(request)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return annual_report(year)


@login_required
@require_GET
def annual_pdf(request, year: int):
    report = _annual(request, year)
    return pdf_page(request, "reports/annual_report.html", {"report": report}, f"annual-report-{year}.pdf")


@login_required
@require_GET
def annual_xlsx(request, year: int):
    return workbook_response(annual_sheets(_annual(request, year)), filename=f"annual-report-{year}")
