"""API plumbing shared by every app: the one error body, pagination, domain-error mapping.

Every error answers {"code": str, "detail": str} plus "fields" (400) or "reasons" (409).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from grants_office.core import keyset
from grants_office.core.errors import Conflict, DomainError, Invalid, NotFound


def wanted_page(raw: str | None) -> int | None:
    """The page number asked for, as a hint for the count (`CountLimitedPaginator`); None when it is not
    one, and the paginator then refuses or defaults it. isdecimal, not isdigit (int() refuses "²"), and
    short, so the hint is a number every database takes."""
    raw = raw or "1"
    wanted = int(raw) if raw.isdecimal() and len(raw) <= 10 else 0
    return wanted if wanted > 0 else None


class CountLimitedPaginator(DjangoPaginator):
    """Counts rows only as far as the page asked for plus COUNT_AHEAD: `SELECT count(*) FROM (... LIMIT n)`
    stops early, where a plain count reads every matching row (100,000 proposals for the office, every
    row a search has to test) on each page request. Up to that limit the count is exact; beyond it the
    paginator knows only that there are more (`exact` is False) and `count` is that lower bound, which
    keeps `next` right for every page. The "last" page asks for the exact count."""

    COUNT_AHEAD = 1_000
    # From this many rows in, a page is read in two steps (`_deep_rows`).
    DEEP_FROM = 1_000
    # No list here comes near it, and counting or slicing up to it stays inside every database's integers.
    MAX_OFFSET = 2**31

    def __init__(self, *args, wanted_page: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.wanted_page = wanted_page
        self.exact = True

    def validate_number(self, number):
        """A page that starts past MAX_OFFSET rows is empty without asking the database, which would
        refuse the LIMIT (`?page=99999999999999999999`)."""
        try:
            too_far = (int(number) - 1) * self.per_page > self.MAX_OFFSET
        except (TypeError, ValueError):
            too_far = False  # Django's own check says what is wrong with it
        if too_far:
            raise EmptyPage(self.error_messages["no_results"])
        return super().validate_number(number)

    def page(self, number):
        """Django's page, but a page far into a list is not read by skipping every row before it."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        deep = (
            bottom >= self.DEEP_FROM
            and isinstance(rows, QuerySet)
            and rows.ordered
            and not rows.query.distinct
        )
        return self._get_page(self._deep_rows(bottom, top) if deep else rows[bottom:top], number, self)

    def _deep_rows(self, bottom: int, top: int) -> list:
        """`OFFSET 50000` makes the database build 50,000 whole rows (each with its joins) only to drop
        them. Past the middle of a list whose count is exact, the page is read from the end instead:
        the order reversed (the same index read backwards) and a short offset. Elsewhere, only the
        page's ids are found past the offset (the index alone, as far as the order allows), then the
        page's rows by id."""
        rows = self.object_list
        if self.exact and bottom > self.count // 2:
            tail = list(rows.reverse()[self.count - top : self.count - bottom])
            tail.reverse()
            return tail
        ids = list(rows.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in rows.order_by().filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]  # a row deleted in between is left out

    @cached_property
    def count(self) -> int:
        if self.wanted_page is None or not hasattr(self.object_list, "query"):
            return super().count
        limit = self.wanted_page * self.per_page + self.COUNT_AHEAD
        rows = self.object_list
        if not rows.query.distinct_fields:  # the order does not change how many: no sort inside the count
            rows = rows.order_by()
            if rows.query.group_by is None:  # nor do the row's annotations (events' seat counts)
                rows = rows.values("pk")
        counted = rows[: limit + 1].count()
        self.exact = counted <= limit
        return counted


class Pagination(PageNumberPagination):
    """Page-number pagination whose count stops a page plus COUNT_AHEAD rows ahead (see
    CountLimitedPaginator): the body says `"count_exact": false` when the count is only a lower bound."""

    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self._cursor = None
        if self.cursor_query_param in request.query_params:
            return self._by_cursor(queryset, request)
        self._wanted_page = wanted_page(request.query_params.get(self.page_query_param))
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, *args, **kwargs):
        return CountLimitedPaginator(*args, wanted_page=getattr(self, "_wanted_page", None), **kwargs)

    def _by_cursor(self, queryset, request):
        """`?cursor=` (empty: from the start): the page after (or before) the cursor's row, read through
        the order's index (`core.keyset`); `next` and `previous` carry the cursors."""
        keys = keyset.keys_of(queryset)
        if keys is None:
            raise Invalid(fields={"cursor": [_("This list cannot be read by cursor in this order.")]})
        self.request = request
        size = self.get_page_size(request)
        rows, following, preceding = keyset.page(
            queryset, keys, size, request.query_params[self.cursor_query_param]
        )
        # COUNT_AHEAD rows from the start at most, as for a page-number list
        counter = CountLimitedPaginator(queryset, size, wanted_page=0)
        self._cursor = {
            "next": following,
            "previous": preceding,
            "count": counter.count,
            "exact": counter.exact,
        }
        return rows

    def _cursor_link(self, cursor):
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        if self._cursor is not None:
            body = {
                "count": self._cursor["count"],
                "next": self._cursor_link(self._cursor["next"]),
                "previous": self._cursor_link(self._cursor["previous"]),
                "results": data,
            }
            if not self._cursor["exact"]:
                body["count_exact"] = False
            return Response(body)
        response = super().get_paginated_response(data)
        if not getattr(self.page.paginator, "exact", True):
            response.data["count_exact"] = False
        return response

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Read by cursor instead of page number: empty for the first page, then the "
                "cursor in `next` or `previous`. The same cost at any depth; `page` is ignored.",
                "schema": {"type": "string"},
            },
        ]

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_exact"] = {
            "type": "boolean",
            "description": "Present and false when `count` is only a lower bound (a long list).",
        }
        return schema


def _flatten(detail) -> dict[str, list[str]] | list[str]:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [str(item) for item in detail]
        return [_flatten(item) for item in detail]
    return [str(detail)]


def error_body(code: str, detail: str, **extra) -> dict:
    return {"code": code, "detail": str(detail), **extra}


def domain_error_response(error: DomainError) -> Response:
    if isinstance(error, Conflict):
        body = error_body(
            error.code,
            error.message or _("Not allowed now."),
            reasons=[reason.as_dict() for reason in error.reasons],
        )
    elif isinstance(error, Invalid):
        body = error_body(error.code, error.message or _("Invalid input."), fields=error.fields)
    elif isinstance(error, NotFound):
        body = error_body("not_found", error.message or _("Not found."))
    else:
        body = error_body(error.code, error.message)
    response = Response(body, status=error.status)
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:  # StorageUnavailable (503): when the client may try again
        response["Retry-After"] = str(int(retry_after))
    return response


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(error_body("invalid", _("Invalid input."), fields=fields), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = _flatten(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
        response.data = error_body("invalid", _("Invalid input."), fields=fields)
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        response.data = error_body(code, getattr(exc, "detail", _("Error.")))
    return response


def page_not_found(request, exception):
    """handler404: an address under /api/ that names nothing (`/api/v1/calls/abc/`) answers the API's
    error body like every other 404 of the API; the pages keep their page."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception)


__all__ = ["Pagination", "domain_error_response", "error_body", "exception_handler", "status"]
