"""How an export endpoint (`grants_office.core.tabular`) describes itself to drf-spectacular: the
`format` it must be given, the list's filters it takes, and the two files it answers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from grants_office.core.schema import ErrorSerializer
from grants_office.core.tabular import CONTENT_TYPES, FORMATS

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    enum=list(FORMATS),
    description=_("csv (UTF-8 with a byte-order mark, `;` between fields) or xlsx."),
)


def export_schema(description: str, refusal: str | None = None):
    """`extend_schema` for an `@action(detail=False)` export of a list: its filters (drf-spectacular
    documents them on lists only), `format`, the two files and, for an office-only export, the 409."""
    responses = {
        (200, CONTENT_TYPES["csv"].split(";")[0]): OpenApiResponse(
            OpenApiTypes.BINARY, description=description
        ),
        (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY, description=description),
    }
    if refusal is not None:
        responses[409] = OpenApiResponse(ErrorSerializer, description=refusal)
    return extend_schema(parameters=[FORMAT_PARAMETER], responses=responses, filters=True)
