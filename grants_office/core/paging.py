"""Long lists on the web pages: one page at a time, counted only as far as needed, with the links to the
pages before and after that keep the list's other parameters."""

from __future__ import annotations

from django.http import QueryDict

from grants_office.core.api import CountLimitedPaginator, wanted_page


def limited_page(raw: str | None, rows, per_page: int):
    """The page `raw` names (the first when it names none); the count stops a page plus COUNT_AHEAD rows
    ahead (`CountLimitedPaginator`), so a list of 100,000 rows is not counted on every page."""
    paginator = CountLimitedPaginator(rows, per_page, wanted_page=wanted_page(raw) or 1)
    return paginator.get_page(raw or "1")


def query_link(params: QueryDict, **changes) -> str:
    """The list's query with `changes` applied (None drops a parameter)."""
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return f"?{query.urlencode()}"


def pager(params: QueryDict, page) -> dict[str, str | None]:
    """The links to the previous and the next page, or None at either end."""
    return {
        "previous": query_link(params, page=page.previous_page_number()) if page.has_previous() else None,
        "next": query_link(params, page=page.next_page_number()) if page.has_next() else None,
    }
