"""How an export endpoint (`grants_office.core.tabular`) is declared: `list_export` makes a viewset's
`export/` action, and `export_schema` describes it to drf-spectacular (the `format` it must be given,
the list's filters it takes, the two files it answers)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action

from grants_office.core.schema import ErrorSerializer
from grants_office.core.tabular import CONTENT_TYPES, FORMATS, ExportNegotiation

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    enum=list(FORMATS),
    description=_("csv (UTF-8 with a byte-order mark, `;` between fields) or xlsx."),
)


def export_schema(description: str, refusal: str | None = None, *, filters: bool = True):
    """`extend_schema` for an export: `format`, the two files, for an office-only export the 409, and
    for the export of a list (an `@action(detail=False)`) the list's filters, which drf-spectacular
    documents on lists only (`filters=False` for the export of one object, e.g. a round's scores)."""
    responses = {
        (200, CONTENT_TYPES["csv"].split(";")[0]): OpenApiResponse(
            OpenApiTypes.BINARY, description=description
        ),
        (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY, description=description),
    }
    if refusal is not None:
        responses[409] = OpenApiResponse(ErrorSerializer, description=refusal)
    return extend_schema(parameters=[FORMAT_PARAMETER], responses=responses, filters=filters)


def list_export(description: str, refusal: str | None = None):
    """A list viewset's `GET …/export/?format=csv|xlsx`: every row, no pagination, `format` naming the
    file (not an API renderer), documented with the list's filters."""
    as_action = action(
        detail=False,
        methods=["get"],
        url_path="export",
        content_negotiation_class=ExportNegotiation,
        pagination_class=None,
    )

    def decorate(method):
        return export_schema(description, refusal)(as_action(method))

    return decorate
