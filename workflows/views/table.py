"""The proposals table beside the board: the board's filters and a state filter (the same set as the
board for the same filters), sortable columns, a column chooser, pages that stay fast, each person's
saved views, and "Export" links to the API's export with the same filters and order, so the file holds
exactly the table's rows. Plain GET links and forms: it works without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grants_office.core.pages import perform
from grants_office.core.paging import limited_page, pager, query_link
from grants_office.core.tabular import FORMATS
from grants_office.members.permissions import is_office_staff
from workflows import selectors, services
from workflows.forms import (
    DEFAULT_COLUMNS,
    DEFAULT_SORT,
    PAGE_SIZES,
    SORTABLE_COLUMNS,
    TABLE_COLUMNS,
    BoardFilterForm,
    SaveFilterForm,
    TableFilterForm,
)

TEMPLATE = "workflows/table.html"
# The board's filters the API's list takes under the same names (and the same ids).
SHARED_FILTERS = ("programme", "call", "municipality", "coordinator")


@dataclass
class Header:
    name: str
    label: str
    href: str | None  # the link that sorts by this column (None: not sortable)
    aria_sort: str | None  # "ascending" or "descending" on the column the table is sorted by


def _header(params: QueryDict, name: str, sort: str) -> Header:
    label = _("Title") if name == "title" else str(TABLE_COLUMNS[name])
    if name not in SORTABLE_COLUMNS:
        return Header(name, label, None, None)
    current, descending = sort.removeprefix("-") == name, sort.startswith("-")
    following = f"-{name}" if current and not descending else name  # the link toggles the direction
    aria = ("descending" if descending else "ascending") if current else None
    return Header(name, label, query_link(params, sort=following, page=None), aria)


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def export_links(form: BoardFilterForm, sort: str) -> dict[str, str]:
    """`GET /api/v1/proposals/export/` with the filters of the table (or the board: the same set) in the
    API's words: the same ids, the board's search as `q`, the states shown, the order as `ordering`."""
    filters = form.filters()
    pairs = [(name, filters[name].pk) for name in SHARED_FILTERS if filters.get(name) is not None]
    if filters.get("search"):
        pairs.append(("q", filters["search"]))
    pairs += [("state", state) for state in form.states()]
    pairs.append(("ordering", sort))
    url = reverse("proposal-export")
    return {fmt: f"{url}?{urlencode([('format', fmt), *pairs])}" for fmt in FORMATS}


def _context(request, form: TableFilterForm, **extra) -> dict:
    sort = form.shown("sort", DEFAULT_SORT)
    columns = form.shown("columns", list(DEFAULT_COLUMNS))
    proposals = selectors.table_proposals(
        request.user,
        states=form.states(),
        sort=[sort],
        partners="partners" in columns,
        **form.filters(),
    )
    params = form.data.copy() if isinstance(form.data, QueryDict) else QueryDict(mutable=True)
    query = form.query_string()
    office = is_office_staff(request.user)
    page = limited_page(params.get("page"), proposals, form.shown("per_page", PAGE_SIZES[0]))
    return {
        "filters": form,
        "page": page,
        "pager": pager(params, page),
        "columns": columns,
        "headers": [_header(params, name, sort) for name in ["title", *columns]],
        "params": params,
        "query": query,
        "saved_filters": list(selectors.saved_filters_of(request.user)),
        "save_form": SaveFilterForm(initial={"query": query}),
        "exports": export_links(form, sort),
        "board_url": _with_query(reverse("workflows:board"), form.board_query()),
        "nav_active": "board" if office else "mine",
        **extra,
    }


@login_required
@require_GET
def table(request):
    form = TableFilterForm(request.GET or None)
    return render(request, TEMPLATE, _context(request, form))


def _view_of(query: str) -> TableFilterForm:
    return TableFilterForm(QueryDict(query) if query else None)


def _back_to(query: str):
    return redirect(_with_query(reverse("workflows:table"), query))


@login_required
@require_POST
def save_view(request):
    """ "Save this view": the table's query under a name (the same name replaces it)."""
    save_form = SaveFilterForm(request.POST)
    view = _view_of(save_form.data.get("query", ""))
    if not save_form.is_valid():
        return render(request, TEMPLATE, _context(request, view, save_form=save_form), status=400)
    outcome = perform(save_form, services.save_filter, request.user, **save_form.cleaned_data)
    if not outcome.ok:
        context = _context(request, view, save_form=save_form, problem=outcome.problem)
        return render(request, TEMPLATE, context, status=outcome.status)
    messages.success(request, _("The view “%(name)s” is saved.") % {"name": outcome.result.name})
    return _back_to(outcome.result.query)


@login_required
@require_POST
def delete_view(request, pk):
    """Delete one of one's saved views (anyone else's: 404), back to the view one was looking at."""
    saved = selectors.saved_filter_of(request.user, pk)
    perform(None, services.delete_filter, request.user, saved)
    messages.success(request, _("The view “%(name)s” is deleted.") % {"name": saved.name})
    return _back_to(_view_of(request.POST.get("query", "")).query_string())
