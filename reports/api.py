"""The results endpoints (office only): the figures as JSON, and the same table as a file.

Others are refused as the office-only review endpoints refuse them: 409 `not_permitted`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from grants_office.core.export_schema import export_schema
from grants_office.core.schema import ErrorSerializer
from grants_office.core.tabular import ExportNegotiation, export_format, export_response
from reports import services
from reports.exports import results_columns, results_filename, results_rows
from reports.filters import ResultsFilter, results_filter
from reports.permissions import sees_results
from reports.results import results
from reports.serializers import ResultsSerializer, results_body
from workflows.models import Proposal

OFFICE_ONLY = OpenApiResponse(
    ErrorSerializer, description=_("Only the office sees the results (not_permitted).")
)


class _ResultsBase(generics.GenericAPIView):
    # the filter set describes the query parameters in the schema; the views validate it themselves
    queryset = Proposal.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = ResultsFilter
    pagination_class = None

    def check_office(self, request) -> None:
        if not sees_results(request.user):
            raise services.not_permitted()

    def found(self, request):
        return results(results_filter(request.query_params, request=request))


class ResultsView(_ResultsBase):
    @extend_schema(filters=True, responses={200: ResultsSerializer, 409: OFFICE_ONLY})
    def get(self, request):
        """What became of the proposals that match the filters: counts, success rate, amounts per
        currency and in EUR (with the rates used, and what could not be converted), members served and
        not served, the median days from idea to submission; grouped by `group_by`, with the total."""
        self.check_office(request)
        return Response(results_body(self.found(request)))


class ResultsExportView(_ResultsBase):
    content_negotiation_class = ExportNegotiation

    @export_schema(
        _("The grouped table with its total row as CSV (UTF-8 with BOM, `;`) or XLSX."),
        refusal=_("Only the office sees the results (not_permitted)."),
    )
    def get(self, request):
        """The grouped table with its total row as CSV (UTF-8 with BOM, `;`) or XLSX."""
        self.check_office(request)
        fmt = export_format(request.query_params)
        found = self.found(request)
        columns = results_columns(found.group_by)
        return export_response(results_rows(found), columns, fmt=fmt, filename=results_filename(found))
