"""API plumbing shared by every app: the one error body, pagination, domain-error mapping.

Every error answers {"code": str, "detail": str} plus "fields" (400) or "reasons" (409).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
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

    def __init__(self, *args, wanted_page: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.wanted_page = wanted_page
        self.exact = True

    @cached_property
    def count(self) -> int:
        if self.wanted_page is None or not hasattr(self.object_list, "query"):
            return super().count
        limit = self.wanted_page * self.per_page + self.COUNT_AHEAD
        counted = self.object_list[: limit + 1].count()
        self.exact = counted <= limit
        return counted


class Pagination(PageNumberPagination):
    """Page-number pagination whose count stops a page plus COUNT_AHEAD rows ahead (see
    CountLimitedPaginator): the body says `"count_exact": false` when the count is only a lower bound."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param) or "1"
        self._wanted_page = int(raw) if raw.isdigit() and int(raw) > 0 else None
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
    return Response(body, status=error.status)


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


__all__ = ["Pagination", "domain_error_response", "error_body", "exception_handler", "status"]
