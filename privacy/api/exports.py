"""A person's data as a ZIP: `GET /api/v1/me/data-export/` for one's own, `POST /api/v1/data-exports/`
for anyone's (the office), each export's state and its file while it lasts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from grants_office.core.errors import NotFound
from grants_office.core.people import display_name
from grants_office.core.schema import ErrorSerializer
from privacy import selectors, services
from privacy.models import DataExport


class ExportThrottle(UserRateThrottle):
    """Asking for an export (each packs a person's files) a few times an hour per person; reading the
    state and downloading are not counted."""

    scope = "data_export"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if request.method != view.counted_method:
            return True
        return super().allow_request(request, view)


class DataExportSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="subject_id", read_only=True)
    person_name = serializers.SerializerMethodField()
    requested_by = serializers.IntegerField(source="requested_by_id", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField(help_text=_("The ZIP, while the export is ready."))

    class Meta:
        model = DataExport
        fields = [
            "id",
            "person",
            "person_name",
            "requested_by",
            "state",
            "requested_at",
            "ready_at",
            "expires_at",
            "size",
            "files",
            "url",
            "download",
        ]

    def get_person_name(self, export) -> str:
        return display_name(export.subject)

    def get_url(self, export) -> str:
        return self.context["request"].build_absolute_uri(reverse("privacy-data-export", args=[export.pk]))

    def get_download(self, export) -> str | None:
        if not export.is_available():
            return None
        return self.context["request"].build_absolute_uri(
            reverse("privacy-data-export-file", args=[export.pk])
        )


class RequestSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(),
        required=False,
        help_text=_("Whose data; yourself when left out. The office may name anyone."),
    )


def _accepted(request, export: DataExport) -> Response:
    body = DataExportSerializer(export, context={"request": request}).data
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


def _zip(file, filename: str) -> FileResponse:
    return FileResponse(file, as_attachment=True, filename=filename, content_type="application/zip")


_REFUSED = OpenApiResponse(
    ErrorSerializer, description=_("Not ready yet, failed, or expired (the reason's code).")
)


class MyDataExportView(APIView):
    throttle_classes = [ExportThrottle]
    counted_method = "GET"

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description=_("The ZIP itself.")),
            202: OpenApiResponse(
                DataExportSerializer, description=_("Built in the background; see Location.")
            ),
        }
    )
    def get(self, request):
        """Everything the service holds about you, as a ZIP (data.json, README.txt and your uploaded files):
        at once when your files are small, else prepared in the background (202, and a notification when
        it is ready)."""
        answer = services.export_now_or_later(request.user)
        if isinstance(answer, DataExport):
            return _accepted(request, answer)
        return _zip(answer.file, DataExport(subject=request.user).filename)


class DataExportListView(generics.ListAPIView):
    serializer_class = DataExportSerializer
    throttle_classes = [ExportThrottle]
    counted_method = "POST"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DataExport.objects.none()
        return selectors.exports_for(self.request.user)

    @extend_schema(
        request=RequestSerializer,
        responses={
            202: DataExportSerializer,
            409: OpenApiResponse(
                ErrorSerializer, description=_("Only the office exports other people's data.")
            ),
        },
    )
    def post(self, request):
        """Ask for an export of your data, or (the office) of anyone's; asking again while one is being
        prepared returns that one."""
        wanted = RequestSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        person = wanted.validated_data.get("person") or request.user
        return _accepted(request, services.request_export(request.user, person))


class DataExportView(APIView):
    @extend_schema(responses={200: DataExportSerializer, 404: ErrorSerializer})
    def get(self, request, pk):
        """One export you asked for or that is about you."""
        export = selectors.exports_for(request.user).filter(pk=pk).first()
        if export is None:
            raise NotFound(_("No such export."))
        return Response(DataExportSerializer(export, context={"request": request}).data)


class DataExportFileView(APIView):
    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
            404: ErrorSerializer,
            409: _REFUSED,
        }
    )
    def get(self, request, pk):
        """The export's ZIP, until it expires."""
        export = services.download(request.user, pk)
        return _zip(services.open_file(export), export.filename)
