"""The office's audit trail page: the same filters and rows as `GET /api/v1/audit/` (office staff; others
are refused as on the results pages)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grants_office.core.api import CountLimitedPaginator
from privacy import selectors
from privacy.filters import TrailFilter
from privacy.permissions import reads_trail

PER_PAGE = 50


def _page(raw: str | None, entries):
    raw = raw or "1"
    wanted = int(raw) if raw.isdecimal() and len(raw) <= 10 else 1
    return CountLimitedPaginator(entries, PER_PAGE, wanted_page=max(wanted, 1)).get_page(raw)


def _link(params, page: int) -> str:
    query = params.copy()
    query["page"] = page
    return f"?{query.urlencode()}"


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
    page = _page(request.GET.get("page"), filters.qs)
    context |= {
        "page": page,
        "entries": selectors.rows(list(page.object_list)),
        "pager": {
            "previous": _link(request.GET, page.previous_page_number()) if page.has_previous() else None,
            "next": _link(request.GET, page.next_page_number()) if page.has_next() else None,
        },
    }
    return render(request, "privacy/trail.html", context)
