"""Call watch: `GET /api/v1/call-matches/`, the open and upcoming calls the asker's municipality may lead,
ranked, with why each matches."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from cooperation.selectors import matches
from grants_office.core.filters import MAX_ID


class MatchQuerySerializer(serializers.Serializer):
    municipality = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_(
            "One municipality (its team today, or the office for any); without it, every municipality "
            "the person is on the team of today."
        ),
    )


class MatchThemeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()


class MatchReasonSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_("lead_province, lead_kind, lead_population, lead_membership, themes, deadline or opens")
    )
    message = serializers.CharField()


class MatchMunicipalitySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class CallMatchSerializer(serializers.Serializer):
    call = serializers.IntegerField(source="call.pk", help_text=_("The call's id."))
    reference = serializers.CharField(source="call.reference")
    title = serializers.CharField(source="call.title")
    programme = serializers.CharField(source="call.programme")
    opens_on = serializers.DateField(source="call.opens_on")
    deadline = serializers.DateTimeField(source="call.deadline")
    deadline_display = serializers.CharField(
        source="call.deadline_display", help_text=_("The deadline as the funder states it, with its zone.")
    )
    is_open = serializers.BooleanField(help_text=_("False: the call opens within the next 90 days."))
    days_left = serializers.IntegerField(help_text=_("Calendar days to the deadline (0: today)."))
    municipality = MatchMunicipalitySerializer()
    score = serializers.FloatField(
        help_text=_("Shared themes plus the share of the call's themes they make up; higher ranks first.")
    )
    shared_themes = MatchThemeSerializer(many=True)
    reasons = serializers.SerializerMethodField()

    @extend_schema_field(MatchReasonSerializer(many=True))
    def get_reasons(self, match) -> list[dict]:
        return [{"code": r.code, "message": r.message} for r in matches.reasons(match)]


class CallMatchList(generics.ListAPIView):
    """The open and upcoming calls (opening within 90 days) that the municipalities of the person's
    teams may lead, ranked by shared themes and time left, each with its reasons. `municipality` narrows
    to one (the office may ask for any); one the person may not see answers 404."""

    serializer_class = CallMatchSerializer
    filter_backends = []

    @extend_schema(parameters=[MatchQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = MatchQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return matches.call_matches(self.request.user, municipality=query.validated_data.get("municipality"))
