"""Certificates in the API: issuing those of a held event (`POST /api/v1/events/{id}/certificates/`, the
office), yours (the office: all) with filters, one, its PDF, and revoking it (the office). Thin over
`events.selectors.certificates` and `events.services.certificates`."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from events.api.serializers import ReasonInputSerializer
from events.certificate_pdf import certificate_pdf, filename
from events.models import Certificate, Event
from events.selectors import certificates as selectors
from events.selectors.visibility import visible_event
from events.services import certificates as services
from grants_office.core.pdf import pdf_response

MAX_ID = 2**63 - 1


def verify_path(certificate: Certificate) -> str:
    return reverse("events:verify", args=[certificate.display_code])


class CertificateSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="display_code", read_only=True, help_text="XXXX-XXXX-XXXX")
    event = serializers.IntegerField(source="registration.event_id", read_only=True)
    event_title_tr = serializers.CharField(source="registration.event.title_tr", read_only=True)
    event_title_en = serializers.CharField(source="registration.event.title_en", read_only=True)
    kind = serializers.ChoiceField(
        source="registration.event.kind", choices=Event.Kind.choices, read_only=True
    )
    starts_at = serializers.DateTimeField(source="registration.event.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="registration.event.ends_at", read_only=True)
    municipality = serializers.IntegerField(source="registration.municipality_id", read_only=True)
    valid = serializers.BooleanField(source="is_valid", read_only=True)
    verify_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The public page that checks the code (no sign-in).")
    )
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
        return self._absolute(verify_path(certificate))

    def get_pdf_url(self, certificate) -> str:
        return self._absolute(reverse("api-certificate-pdf", args=[certificate.pk]))


class IdFilter(filters.NumberFilter):
    """An id: a whole number the database can hold (else 400), never a decimal rounded down."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class CertificateFilter(filters.FilterSet):
    # Plain ids, not choices of rows: a choice field would tell a member which events exist.
    event = IdFilter(field_name="registration__event_id")
    municipality = IdFilter(field_name="registration__municipality_id")
    year = filters.NumberFilter(
        field_name="issued_at",
        lookup_expr="year",
        min_value=1000,
        max_value=9999,
        help_text=gettext_lazy("The year it was issued."),
    )
    valid = filters.BooleanFilter(
        field_name="revoked_at", lookup_expr="isnull", help_text=gettext_lazy("false: the revoked ones.")
    )

    class Meta:
        model = Certificate
        fields = ["event", "municipality", "year", "valid"]


class PDFRenderer(renderers.BaseRenderer):
    """Lets a client ask for `Accept: application/pdf` (the answer is the file itself)."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


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
    @action(detail=True, methods=["post"], filter_backends=[])
    def revoke(self, request, pk=None):
        """The office revokes it with a reason; its code then verifies as revoked."""
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = self.get_object()
        revoked = services.revoke_certificate(
            request.user, certificate, reason=data.validated_data.get("reason", "")
        )
        return Response(self.get_serializer(selectors.visible_certificate(request.user, revoked.pk)).data)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description=gettext_lazy(
                    "One page, in Turkish and English; a revoked one says so across it."
                ),
            )
        }
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="pdf",
        url_name="pdf",
        renderer_classes=[renderers.JSONRenderer, PDFRenderer],
    )
    def pdf(self, request, pk=None):
        """The certificate as a PDF, with the QR code of its verification page (its holder and the
        office)."""
        certificate = self.get_object()
        content = certificate_pdf(
            certificate, verify_url=request.build_absolute_uri(verify_path(certificate))
        )
        response = pdf_response(content, filename(certificate))
        response["Cache-Control"] = "private, no-store"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # An error of the PDF action is the API's JSON error body, whatever the client accepted.
        if isinstance(response, Response) and isinstance(
            getattr(request, "accepted_renderer", None), PDFRenderer
        ):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class IssueInput(serializers.Serializer):
    registrations = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=900,  # a form-encoded body stays under Django's 1,000 fields
        help_text=gettext_lazy(
            "Only these registrations (each must qualify); without it, everyone who qualifies."
        ),
    )


class IssueCertificatesView(APIView):
    """Issue the certificates of a held event (the office): to everyone who qualifies and has none yet,
    or to the registrations named. Answers those issued now (none when all have theirs)."""

    @extend_schema(request=IssueInput, responses={201: CertificateSerializer(many=True)})
    def post(self, request, pk):
        event = visible_event(request.user, pk)
        data = IssueInput(data=request.data)
        data.is_valid(raise_exception=True)
        issued = services.issue_certificates(
            request.user, event, registrations=data.validated_data.get("registrations")
        )
        rows = selectors.certificates_visible_to(request.user).filter(pk__in=[c.pk for c in issued])
        return Response(
            CertificateSerializer(rows, many=True, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
