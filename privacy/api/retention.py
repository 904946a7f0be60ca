"""Retention for the office: `GET /api/v1/retention/` (each kind of record, its period and what is due
now) and `GET /api/v1/retention/runs/` (the destruction log). Others get 409 `not_permitted`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from grants_office.core.errors import not_permitted
from grants_office.core.schema import ErrorSerializer
from privacy import selectors
from privacy.models import RetentionRun
from privacy.permissions import reads_trail

METHODS = list(selectors.METHOD_LABELS.items())
_REFUSED = OpenApiResponse(ErrorSerializer, description=_("Only the office reads the retention log."))


def _office_only(user) -> None:
    if not reads_trail(user):
        raise not_permitted(_("Only the office reads the retention log."))


class RuleSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    method = serializers.ChoiceField(choices=METHODS)
    months = serializers.IntegerField(help_text=_("How long the records are kept."))
    before = serializers.DateTimeField(help_text=_("Records from before this moment are due now."))
    due = serializers.IntegerField(help_text=_("How many the next run destroys or anonymises."))


class ResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    method = serializers.ChoiceField(choices=METHODS)
    months = serializers.IntegerField()
    before = serializers.DateTimeField()
    rows = serializers.IntegerField()


class RunSerializer(serializers.ModelSerializer):
    by = serializers.IntegerField(source="by_id", allow_null=True, help_text=_("None: the schedule."))
    results = ResultSerializer(many=True)

    class Meta:
        model = RetentionRun
        fields = ["id", "started_at", "by", "rows", "results"]


class RetentionView(APIView):
    @extend_schema(responses={200: RuleSerializer(many=True), 409: _REFUSED})
    def get(self, request):
        """Each kind of record with its retention period and how many are due now (a dry run)."""
        _office_only(request.user)
        return Response(RuleSerializer(selectors.retention_rules(), many=True).data)


class RetentionRunsView(generics.ListAPIView):
    serializer_class = RunSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RetentionRun.objects.none()
        _office_only(self.request.user)
        return selectors.retention_runs()

    @extend_schema(responses={200: RunSerializer(many=True), 409: _REFUSED})
    def get(self, request, *args, **kwargs):
        """The destruction log: each run that destroyed or anonymised records, newest first."""
        return super().get(request, *args, **kwargs)
