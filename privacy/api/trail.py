"""The audit trail for the office: `GET /api/v1/audit/`, filtered by person, record, kind and days.

Others are refused as the other office-only endpoints refuse them: 409 `not_permitted`.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers

from grants_office.core.errors import not_permitted
from grants_office.core.schema import ErrorSerializer
from privacy import selectors
from privacy.filters import ACTION_CHOICES, TrailFilter
from privacy.permissions import reads_trail


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField(help_text=_("The field's name in the reader's language."))
    old = serializers.CharField()
    new = serializers.CharField()


class TrailEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=ACTION_CHOICES)
    actor = serializers.IntegerField(source="actor.pk", allow_null=True, default=None)
    actor_name = serializers.CharField(allow_null=True)
    model = serializers.CharField(help_text=_("app_label.model, as the `model` filter takes it."))
    model_label = serializers.CharField()
    object_id = serializers.IntegerField(allow_null=True)
    object = serializers.CharField(help_text=_("The record as it was named when the entry was made."))
    changes = ChangeSerializer(many=True)
    read = serializers.CharField(help_text=_("For a read (`access`): what was read, such as `export`."))
    address = serializers.IPAddressField(allow_null=True)


class TrailView(generics.ListAPIView):
    serializer_class = TrailEntrySerializer
    filterset_class = TrailFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation, without a person
            return LogEntry.objects.none()
        if not reads_trail(self.request.user):
            raise not_permitted(_("Only the office reads the audit trail."))
        return selectors.trail()

    @extend_schema(
        responses={
            200: TrailEntrySerializer(many=True),
            409: OpenApiResponse(ErrorSerializer, description=_("Only the office reads the audit trail.")),
        }
    )
    def get(self, request, *args, **kwargs):
        """Every change of a followed record (who, when, each field's old and new value) and every read of
        personal data by the office, newest first; by page or by `?cursor=`."""
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(selectors.rows(page), many=True).data)
