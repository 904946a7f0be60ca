"""The attendance sheet of an event, the office's: `GET|POST /api/v1/events/{id}/attendance/`. Anyone else
who sees the event gets 409 `not_permitted`, and 404 for an event they do not see. Thin over
`events.selectors.attendance` and `events.services.attendance`."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from events import permissions as can
from events.models import Session
from events.selectors.attendance import attendance_sheet
from events.selectors.visibility import visible_event
from events.services import attendance as services
from grants_office.core.errors import not_permitted
from grants_office.core.people import display_name
from grants_office.core.schema import ErrorSerializer

MAX_ID = 2**63 - 1
# Per list and request: with the session, a form-encoded body stays under Django's 1,000 fields
# (DATA_UPLOAD_MAX_NUMBER_FIELDS); a larger event is marked in several requests.
MAX_MARKS = 450


def _ids(help_text) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=MAX_MARKS,
        help_text=help_text,
    )


class AttendanceInput(serializers.Serializer):
    session = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=gettext_lazy("A session of this event that has started.")
    )
    present = _ids(gettext_lazy("Registrations present at the session."))
    absent = _ids(gettext_lazy("Registrations absent from the session."))


class SessionSerializer(serializers.ModelSerializer):
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)

    class Meta:
        model = Session
        fields = ["id", "title", "starts_at", "ends_at", "hours"]
        read_only_fields = fields


class MarkSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    present = serializers.BooleanField(allow_null=True, help_text=gettext_lazy("null: not marked yet."))


class LineSerializer(serializers.Serializer):
    registration = serializers.IntegerField(source="registration.pk")
    person = serializers.IntegerField(source="registration.person_id")
    person_name = serializers.SerializerMethodField()
    municipality = serializers.IntegerField(source="registration.municipality_id")
    municipality_name = serializers.CharField(source="registration.municipality.name")
    marks = serializers.SerializerMethodField()
    attended = serializers.IntegerField()
    total = serializers.IntegerField()
    share = serializers.DecimalField(
        max_digits=4, decimal_places=1, help_text=gettext_lazy("Of the sessions, in per cent.")
    )
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    qualifies = serializers.BooleanField(
        help_text=gettext_lazy("Attended the share of sessions a certificate needs.")
    )
    certificate = serializers.SerializerMethodField()

    def get_person_name(self, line) -> str:
        return display_name(line.person)

    @extend_schema_field(MarkSerializer(many=True))
    def get_marks(self, line) -> list[dict]:
        """One mark per session of the sheet, in their order."""
        sessions = self.context["sessions"]
        return [
            {"session": session.pk, "present": mark}
            for session, mark in zip(sessions, line.session_marks, strict=True)
        ]

    def get_certificate(self, line) -> int | None:
        return line.certificate.pk if line.certificate else None


class SheetSerializer(serializers.Serializer):
    event = serializers.IntegerField()
    min_attendance_percent = serializers.IntegerField()
    sessions = SessionSerializer(many=True)
    lines = LineSerializer(many=True, help_text=gettext_lazy("One per confirmed registration."))


def _sheet(event) -> dict:
    sheet = attendance_sheet(event)
    context = {"sessions": sheet.sessions}
    return SheetSerializer(
        {
            "event": event.pk,
            "min_attendance_percent": event.min_attendance_percent,
            "sessions": sheet.sessions,
            "lines": list(sheet),
        },
        context=context,
    ).data


class AttendanceView(APIView):
    """The attendance sheet (GET) and the marks of one session (POST), the office's."""

    def _event(self, request, pk):
        event = visible_event(request.user, pk)
        if not can.manages_events(request.user):
            raise not_permitted(_("Only the office takes attendance."))
        return event

    @extend_schema(responses={200: SheetSerializer, 409: ErrorSerializer})
    def get(self, request, pk):
        """Per confirmed registration: its mark at each session, what it attended, whether it qualifies
        for a certificate and the certificate issued."""
        return Response(_sheet(self._event(request, pk)))

    @extend_schema(request=AttendanceInput, responses={200: SheetSerializer})
    def post(self, request, pk):
        """Mark registrations present or absent at a session that has started (once registration has
        closed); marking again corrects. Answers the whole sheet."""
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
        return Response(_sheet(event))
