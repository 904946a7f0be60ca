"""Attendance and issuing certificates, under an event: the office's. Thin over the services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from events import permissions as can
from events.api.certificates import CertificateSerializer
from events.models import Session
from events.selectors import listing
from events.selectors.attendance import attendance_sheet
from events.services import attendance as services
from events.services import certificates as certificate_services
from grants_office.core.errors import not_permitted

AttendanceLine = inline_serializer(
    "AttendanceLine",
    {
        "registration": serializers.IntegerField(),
        "person": serializers.IntegerField(),
        "person_name": serializers.CharField(),
        "municipality": serializers.IntegerField(),
        "marks": inline_serializer(
            "AttendanceMark",
            {"session": serializers.IntegerField(), "present": serializers.BooleanField()},
            many=True,
        ),
        "attended": serializers.IntegerField(),
        "total": serializers.IntegerField(),
        "hours": serializers.DecimalField(max_digits=6, decimal_places=1),
        "qualifies": serializers.BooleanField(),
        "certificate": serializers.IntegerField(allow_null=True),
    },
    many=True,
)


class AttendanceInput(serializers.Serializer):
    session = serializers.IntegerField()
    present = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=5000)
    absent = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=5000)


class IssueInput(serializers.Serializer):
    registrations = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("Only these (each must qualify); default: everyone who qualifies."),
    )


def _lines(event) -> list[dict]:
    return [
        {
            "registration": line.registration.pk,
            "person": line.registration.person_id,
            "person_name": line.registration.person.get_full_name()
            or line.registration.person.get_username(),
            "municipality": line.registration.municipality_id,
            "marks": [{"session": mark.session_id, "present": mark.present} for mark in line.marks],
            "attended": line.attended,
            "total": line.total,
            "hours": line.hours,
            "qualifies": line.qualifies,
            "certificate": line.certificate.pk if line.certificate else None,
        }
        for line in attendance_sheet(event)
    ]


class AttendanceView(APIView):
    """The attendance sheet (GET) and marks for one session (POST: present and absent registrations)."""

    def _event(self, request, pk):
        event = listing.event_page(request.user, pk)
        if not can.manages_events(request.user):
            raise not_permitted(_("Only the office takes attendance."))
        return event

    @extend_schema(responses=AttendanceLine)
    def get(self, request, pk):
        return Response(_lines(self._event(request, pk)))

    @extend_schema(request=AttendanceInput, responses=AttendanceLine)
    def post(self, request, pk):
        event = self._event(request, pk)
        data = AttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = Session.objects.filter(event=event, pk=data.validated_data["session"]).first()
        services.record_attendance(
            request.user,
            event,
            session=session,
            present=data.validated_data.get("present", []),
            absent=data.validated_data.get("absent", []),
        )
        return Response(_lines(event))


class IssueCertificatesView(APIView):
    """Issue the certificates of a held event (the office): to everyone who qualifies and has none, or to
    the registrations named."""

    @extend_schema(request=IssueInput, responses={201: CertificateSerializer(many=True)})
    def post(self, request, pk):
        event = listing.event_page(request.user, pk)
        data = IssueInput(data=request.data)
        data.is_valid(raise_exception=True)
        issued = certificate_services.issue_certificates(
            request.user, event, registrations=data.validated_data.get("registrations")
        )
        context = {"request": request}
        return Response(
            CertificateSerializer(issued, many=True, context=context).data, status=status.HTTP_201_CREATED
        )
