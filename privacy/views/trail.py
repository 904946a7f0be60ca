"""The office's audit trail page: the same filters and rows as `GET /api/v1/audit/` (office staff; others
are refused as on the results pages)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grants_office.core.paging import limited_page, pager
from privacy import selectors
from privacy.filters import TrailFilter
from privacy.permissions import reads_trail

PER_PAGE = 50


@login_required
@require_GET
def trail(request):
    """Who changed what when, and who read whose personal data, newest first."""
    if not reads_trail(request.user):
        raise PermissionDenied
    filters = TrailFilter(request.GET, queryset=selectors.trail())
    context = {"filters": filters, "nav_active": "audit"}
    if not filters.is_valid():
        return render(request, "privacy/trail.html", context, status=400)
    page = limited_page(request.GET.get("page"), filters.qs, PER_PAGE)
    context |= {
        "page": page,
        "entries": selectors.rows(list(page.object_list)),
        "pager": pager(request.GET, page),
    }
    return render(request, "privacy/trail.html", context)
