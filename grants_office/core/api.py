"""API plumbing shared by every app: the one error body, pagination, domain-error mapping.

Every error answers {"code": str, "detail": str} plus "fields" (400) or "reasons" (409).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage
from django.core.paginator import Paginator as DjangoPaginator
from django.http import Http404, JsonResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from grants_office.core.errors import Conflict, DomainError, Invalid, NotFound


class CountLimitedPaginator(DjangoPaginator):
    """Counts rows only as far as the page asked for plus COUNT_AHEAD: `SELECT count(*) FROM (... LIMIT n)`
    stops early, where a plain count reads every matching row (100,000 proposals for the office, every
    row a search has to test) on each page request. Up to that limit the count is exact; beyond it the
    paginator knows only that there are more (`exact` is False) and `count` is that lower bound, which
    keeps `next` right for every page. The "last" page asks for the exact count."""

    COUNT_AHEAD = 1_000
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

    @cached_property
    def count(self) -> int:
        if self.wanted_page is None or not hasattr(self.object_list, "query"):
            return super().count
        limit = self.wanted_page * self.per_page + self.COUNT_AHEAD
        rows = self.object_list
        if not rows.query.distinct_fields:  # the order does not change how many: no sort inside the count
            rows = rows.order_by()
        counted = rows[: limit + 1].count()
        self.exact = counted <= limit
        return counted


class Pagination(PageNumberPagination):
    """Page-number pagination whose count stops a page plus COUNT_AHEAD rows ahead (see
    CountLimitedPaginator): the body says `"count_exact": false` when the count is only a lower bound."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param) or "1"
        # Only a hint for the count; the paginator refuses what is not a page. isdecimal, not isdigit
        # (int() refuses "²"), and short, so the hint is a number every database takes.
        wanted = int(raw) if raw.isdecimal() and len(raw) <= 10 else 0
        self._wanted_page = wanted if wanted > 0 else None
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, *args, **kwargs):
        return CountLimitedPaginator(*args, wanted_page=getattr(self, "_wanted_page", None), **kwargs)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if not getattr(self.page.paginator, "exact", True):
            response.data["count_exact"] = False
        return response

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
