"""A call's eligibility: `GET /api/v1/calls/{id}/eligible-municipalities/` (the members that may lead,
with the call's rules; for the office, who has no proposal yet) and
`GET /api/v1/municipalities/{id}/eligible-calls/` (the open calls a municipality may lead)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import generics, serializers

from cooperation import permissions
from cooperation.selectors import eligibility as selectors
from grants_office.core.api import Pagination
from grants_office.core.errors import not_permitted
from grants_office.core.schema import ErrorSerializer
from grants_office.members.eligibility import lead_rules, rules_of


class EligibleMunicipalitySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    province = serializers.CharField()
    kind = serializers.CharField()
    population = serializers.IntegerField(allow_null=True)
    # Not read-only on purpose: absent for everyone but the office, so not required in the schema.
    has_proposal = serializers.BooleanField(
        required=False, help_text=_("Office only: the member has a proposal on the call (not deleted).")
    )


class RulesPagination(Pagination):
    """The usual page, with the call's lead rules beside the results (`rules`)."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["rules"] = self.rules
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["rules"] = {
            "type": "array",
            "description": "The call's lead rules (code and sentence); without rules: only members lead.",
            "items": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                "required": ["code", "message"],
            },
        }
        schema["required"] = [*schema.get("required", []), "rules"]
        return schema


PHONE_LIST_OFFICE_ONLY = OpenApiResponse(
    ErrorSerializer, description=_("`without_proposal` is the office's (not_permitted).")
)
WITHOUT_PROPOSAL = OpenApiParameter(
    "without_proposal",
    OpenApiTypes.BOOL,
    description=_("Office only (else 409 not_permitted): only the members with no proposal on the call yet."),
)


class EligibleMunicipalityList(generics.ListAPIView):
    """The members that may lead a proposal on the call, by province and name (Turkish order), with the
    call's rules. The office also sees `has_proposal` and may ask `without_proposal=true`: the list to
    phone. An unknown call is 404."""

    serializer_class = EligibleMunicipalitySerializer
    pagination_class = RulesPagination
    filter_backends = []

    @extend_schema(
        parameters=[WITHOUT_PROPOSAL],
        responses={200: EligibleMunicipalitySerializer, 409: PHONE_LIST_OFFICE_ONLY},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def _without_proposal(self) -> bool:
        value = serializers.BooleanField(required=False).to_internal_value(
            self.request.query_params.get("without_proposal", "false")
        )
        if value and not permissions.sees_proposals_on_call(self.request.user):
            raise not_permitted(gettext("Only the office sees which members have a proposal on a call."))
        return value

    def get_queryset(self):
        call = selectors.call_for_eligibility(self.kwargs["pk"])
        without = self._without_proposal()
        self.paginator.rules = [
            {"code": rule.code, "message": rule.message} for rule in lead_rules(rules_of(call))
        ]
        return selectors.eligible_members(
            call,
            with_proposals=permissions.sees_proposals_on_call(self.request.user),
            without_proposal=without,
        )


class EligibleCallSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    title = serializers.CharField()
    deadline = serializers.DateTimeField()
    deadline_display = serializers.CharField(
        help_text=_("The deadline as the funder states it, with its zone.")
    )
    programme = serializers.CharField(source="programme.name")


class EligibleCallList(generics.ListAPIView):
    """The open calls this municipality may lead, the nearest deadline first (any signed-in person;
    an unknown municipality is 404)."""

    serializer_class = EligibleCallSerializer
    filter_backends = []

    def get_queryset(self):
        municipality = selectors.municipality_for_eligibility(self.kwargs["pk"])
        return selectors.open_calls_for(municipality)
