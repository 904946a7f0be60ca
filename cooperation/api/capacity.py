"""GET /api/v1/municipalities/{id}/capacity/: a member's capacity (cooperation.selectors.capacity);
people's names and the proposals for the office and the municipality's own team only."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperation import permissions as can
from cooperation.selectors.capacity import municipality_capacity
from grants_office.core.errors import NotFound
from grants_office.core.people import signed_in
from grants_office.members.models import Municipality

CapacityAnswer = inline_serializer(
    "MunicipalityCapacity",
    {
        "municipality": serializers.IntegerField(),
        "has_project_team": serializers.BooleanField(),
        "events_attended": serializers.IntegerField(),
        "details": serializers.BooleanField(
            help_text=_("False: only the two figures above are yours to see.")
        ),
        "trained_project_managers": inline_serializer(
            "TrainedManager",
            {
                "name": serializers.CharField(),
                "event": serializers.IntegerField(),
                "issued_at": serializers.DateTimeField(),
            },
            many=True,
        ),
        "events": inline_serializer(
            "AttendedEvent",
            {
                "id": serializers.IntegerField(),
                "title": serializers.CharField(),
                "kind": serializers.CharField(),
                "starts_at": serializers.DateTimeField(),
                "attended": serializers.IntegerField(),
                "certificates": serializers.IntegerField(),
            },
            many=True,
        ),
        "first_event_at": serializers.DateTimeField(allow_null=True),
        "submitted_since": serializers.IntegerField(),
        "submitted_before": serializers.IntegerField(),
    },
)


class MunicipalityCapacityView(APIView):
    @extend_schema(responses=CapacityAnswer)
    def get(self, request, pk):
        municipality = Municipality.objects.filter(pk=pk).first()
        if municipality is None or not signed_in(request.user):
            raise NotFound(_("Not found."))
        capacity = municipality_capacity(municipality)
        details = can.sees_capacity_details(request.user, municipality)
        body = {
            "municipality": municipality.pk,
            "has_project_team": municipality.has_project_team,
            "events_attended": len(capacity.events),
            "details": details,
            "trained_project_managers": [],
            "events": [],
            "first_event_at": None,
            "submitted_since": 0,
            "submitted_before": 0,
        }
        if details:
            body.update(
                trained_project_managers=[
                    {"name": m.name, "event": m.event.pk, "issued_at": m.issued_at}
                    for m in capacity.trained_managers
                ],
                events=[
                    {
                        "id": e.pk,
                        "title": e.title,
                        "kind": e.kind,
                        "starts_at": e.starts_at,
                        "attended": e.attended,
                        "certificates": e.certified,
                    }
                    for e in capacity.events
                ],
                first_event_at=capacity.first_event_at,
                submitted_since=capacity.submitted_since,
                submitted_before=capacity.submitted_before,
            )
        return Response(body)
