"""Web pages for calls: the list, one call, and the deadline calendar (a month grid)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from grants_office.calls import selectors


class CallFilterForm(forms.Form):
    SHOW_CHOICES = [("open", _("Open calls")), ("upcoming", _("Deadline ahead")), ("all", _("All calls"))]

    show = forms.ChoiceField(label=_("Show"), choices=SHOW_CHOICES, required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=selectors.programmes(), required=False, empty_label=_("All")
    )


@login_required
@require_GET
def call_list(request):
    filters = CallFilterForm(request.GET or None)
    calls = selectors.calls()
    show, programme = "open", None
    if filters.is_valid():
        show = filters.cleaned_data.get("show") or "open"
        programme = filters.cleaned_data.get("programme")
    if show == "open":
        calls = calls.open()
    elif show == "upcoming":
        calls = calls.filter(deadline__gt=timezone.now())
    if programme is not None:
        calls = calls.filter(programme=programme)
    return render(
        request,
        "calls/call_list.html",
        {"calls": list(calls), "filters": filters, "show": show, "nav_active": "calls"},
    )


@login_required
@require_GET
def call_detail(request, pk):
    call = get_object_or_404(selectors.calls(), pk=pk)
    return render(request, "calls/call_detail.html", {"call": call, "nav_active": "calls"})


def _month(value: str | None) -> date:
    today = timezone.localdate()
    try:
        parsed = datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    return parsed if 1900 < parsed.year < 2200 else today.replace(day=1)


@login_required
@require_GET
def deadline_calendar(request):
    """Call deadlines of one month, on the day they fall in the person's time zone."""
    first = _month(request.GET.get("month"))
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    zone = timezone.get_current_timezone()
    start = datetime.combine(weeks[0][0], time.min, tzinfo=zone)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), time.min, tzinfo=zone)
    by_day: dict[date, list] = {}
    for call in selectors.calls_with_deadline_between(start, end):
        by_day.setdefault(timezone.localdate(call.deadline), []).append(call)
    today = timezone.localdate()
    grid = [
        [
            {
                "date": day,
                "calls": by_day.get(day, []),
                "in_month": day.month == first.month,
                "today": day == today,
            }
            for day in week
        ]
        for week in weeks
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "calls/calendar.html",
        {
            "month": first,
            "month_name": MONTHS[first.month],
            "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
            "grid": grid,
            "previous": previous,
            "following": following,
            "count": sum(len(calls) for day, calls in by_day.items() if day.month == first.month),
            "nav_active": "calendar",
        },
    )
