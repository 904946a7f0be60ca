"""Certificates: yours (the office: all), one, its PDF, and revoking it (the office)."""

from __future__ import annotations

from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from events.api.serializers import ReasonInputSerializer
from events.certificate_pdf import certificate_pdf, filename
from events.models import Certificate, Event
from events.selectors import certificates as selectors
from events.services import certificates as services
from grants_office.core.pdf import pdf_response
from grants_office.members.models import Municipality


class CertificateSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="display_code", read_only=True)
    event = serializers.IntegerField(source="registration.event_id", read_only=True)
    event_title_tr = serializers.CharField(source="registration.event.title_tr", read_only=True)
    event_title_en = serializers.CharField(source="registration.event.title_en", read_only=True)
    kind = serializers.CharField(source="registration.event.kind", read_only=True)
    starts_at = serializers.DateTimeField(source="registration.event.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="registration.event.ends_at", read_only=True)
    municipality = serializers.IntegerField(source="registration.municipality_id", read_only=True)
    valid = serializers.BooleanField(source="is_valid", read_only=True)
    verify_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "code",
            "holder_name",
            "event",
            "event_title_tr",
            "event_title_en",
            "kind",
            "starts_at",
            "ends_at",
            "municipality",
            "hours",
            "sessions_attended",
            "sessions_total",
            "issued_at",
            "valid",
            "revoked_at",
            "revocation_reason",
            "verify_url",
            "pdf_url",
        ]
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_verify_url(self, certificate) -> str:
        return self._absolute(reverse("events:verify", args=[certificate.display_code]))

    def get_pdf_url(self, certificate) -> str:
        return self._absolute(reverse("api-certificate-pdf", args=[certificate.pk]))


class CertificateFilter(filters.FilterSet):
    event = filters.ModelChoiceFilter(field_name="registration__event", queryset=Event.objects.all())
    municipality = filters.ModelChoiceFilter(
        field_name="registration__municipality", queryset=Municipality.objects.all()
    )
    year = filters.NumberFilter(method="by_year")
    valid = filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull")

    class Meta:
        model = Certificate
        fields = ["event", "municipality", "valid"]

    def by_year(self, queryset, name, value):
        if not 1000 <= value <= 9999:
            return queryset.none()
        return queryset.filter(issued_at__year=int(value))


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your certificates (the office: every one), each with its public verification address."""

    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self):
        return selectors.certificates_visible_to(self.request.user)

    def get_object(self):
        return selectors.visible_certificate(self.request.user, self.kwargs["pk"])

    @extend_schema(request=ReasonInputSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """The office revokes it with a reason; its code then verifies as revoked."""
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = self.get_object()
        revoked = services.revoke_certificate(
            request.user, certificate, reason=data.validated_data.get("reason", "")
        )
        return Response(self.get_serializer(selectors.visible_certificate(request.user, revoked.pk)).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"], url_path="pdf", url_name="pdf")
    def pdf(self, request, pk=None):
        """The certificate as a PDF in Turkish and English (its holder and the office)."""
        certificate = self.get_object()
        address = request.build_absolute_uri(reverse("events:verify", args=[certificate.display_code]))
        return pdf_response(certificate_pdf(certificate, verify_url=address), filename(certificate))
