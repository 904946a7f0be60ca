"""Partner requests and their answers: thin over `cooperation.services.requests` and
`cooperation.selectors.requests` (who sees what is decided there)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cooperation.models import PartnerRequest, PartnerResponse
from cooperation.selectors import requests as selectors
from cooperation.services import requests as services
from grants_office.calls.models import Call, Theme
from grants_office.core.people import display_name
from grants_office.members.models import Municipality, Organisation
from workflows import selectors as proposal_selectors
from workflows.models import ProposalPartner


class CountryField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value and (len(value) != 2 or not value.isascii() or not value.isalpha()):
            raise ValidationError(_("Use the two-letter country code, e.g. BG."), code="invalid")
        return value.upper() if value else value


class CountryFilter(filters.CharFilter):
    field_class = CountryField


class PartnerRequestFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=PartnerRequest.State.choices, method="by")
    call = filters.ModelChoiceFilter(queryset=Call.objects.all(), method="by")
    country = CountryFilter(method="by", label=_("a country the request takes partners from (ISO code)"))
    theme = filters.ModelChoiceFilter(field_name="themes", queryset=Theme.objects.all(), method="by")

    class Meta:
        model = PartnerRequest
        fields = ["state", "call", "country", "theme"]

    def by(self, queryset, name, value):
        return selectors.filter_requests(queryset, **{"theme" if name == "themes" else name: value})


@extend_schema_field(OpenApiTypes.INT)
class VisibleProposalField(serializers.PrimaryKeyRelatedField):
    """A proposal the person sees: one they do not see answers as one that does not exist."""

    def get_queryset(self):
        user = self.context["request"].user
        return proposal_selectors.proposals_visible_to(user).prefetch_related(None)


class PartnerRequestSerializer(serializers.ModelSerializer):
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all())
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    proposal = VisibleProposalField(required=False, allow_null=True)
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all(), required=False, allow_null=True)
    call_reference = serializers.CharField(source="call.reference", read_only=True, allow_null=True)
    countries = serializers.ListField(
        child=serializers.CharField(max_length=2),
        required=False,
        max_length=60,
        help_text=_("ISO codes; empty: any."),
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Organisation.Kind.choices), required=False, max_length=10
    )
    themes = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.all(), many=True, required=False)
    role_wanted = serializers.ChoiceField(choices=ProposalPartner.Role.choices, required=False)

    class Meta:
        model = PartnerRequest
        fields = [
            "id",
            "municipality",
            "municipality_name",
            "proposal",
            "call",
            "call_reference",
            "title",
            "description",
            "role_wanted",
            "countries",
            "kinds",
            "themes",
            "answer_by",
            "state",
            "created_at",
            "closed_at",
        ]
        read_only_fields = ["state", "created_at", "closed_at"]

    def create(self, validated_data):
        return services.publish_request(self.context["request"].user, **validated_data)


class PartnerResponseSerializer(serializers.ModelSerializer):
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    party_name = serializers.SerializerMethodField()
    responder_name = serializers.SerializerMethodField()

    class Meta:
        model = PartnerResponse
        fields = [
            "id",
            "request",
            "municipality",
            "organisation",
            "party_name",
            "responder",
            "responder_name",
            "message",
            "state",
            "created_at",
            "decided_at",
        ]
        read_only_fields = ["request", "responder", "state", "created_at", "decided_at"]

    def get_party_name(self, response) -> str:
        return str(response.party.name)

    def get_responder_name(self, response) -> str:
        return display_name(response.responder)


class AcceptSerializer(serializers.Serializer):
    proposal = VisibleProposalField(
        required=False,
        allow_null=True,
        help_text=_(
            "For a request made for a call: the requester's proposal on that call the partner joins."
        ),
    )


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PartnerRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """'Seeking a partner' notices: open ones for everyone on a team, closed ones for the requester."""

    serializer_class = PartnerRequestSerializer
    filterset_class = PartnerRequestFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self):
        return selectors.requests_visible_to(self.request.user)

    def get_object(self):
        return selectors.visible_request(self.request.user, self.kwargs["pk"])

    @extend_schema(request=None, responses=PartnerRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Stop taking answers (the requesting team or the office)."""
        closed = services.close_request(request.user, self.get_object())
        return Response(self.get_serializer(selectors.visible_request(request.user, closed.pk)).data)


class PartnerRequestResponsesView(generics.ListCreateAPIView):
    """GET the answers to a request that you may read (the requester and the office: all of them);
    POST an expression of interest for a municipality or organisation whose team you are on."""

    serializer_class = PartnerResponseSerializer
    filter_backends = []

    def _request(self):
        return selectors.visible_request(self.request.user, self.kwargs["pk"])

    def get_queryset(self):
        return selectors.responses_of(self.request.user, self._request())

    def perform_create(self, serializer):
        values = serializer.validated_data
        serializer.instance = services.respond(
            self.request.user,
            self._request(),
            message=values.get("message", ""),
            municipality=values.get("municipality"),
            organisation=values.get("organisation"),
        )


class PartnerResponseViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One answer, and the requester's decision on it (or the responder's withdrawal)."""

    serializer_class = PartnerResponseSerializer
    queryset = PartnerResponse.objects.none()  # the schema's model; reads go through the selector

    def get_object(self):
        return selectors.visible_response(self.request.user, self.kwargs["pk"])

    def _answer(self, response):
        return Response(self.get_serializer(response).data, status=status.HTTP_200_OK)

    @extend_schema(request=AcceptSerializer, responses=PartnerResponseSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the answer: the party joins the proposal in the role the request seeks."""
        response = self.get_object()
        data = AcceptSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return self._answer(
            services.accept_response(request.user, response, proposal=data.validated_data.get("proposal"))
        )

    @extend_schema(request=DeclineSerializer, responses=PartnerResponseSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        response = self.get_object()
        data = DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            services.decline_response(request.user, response, reason=data.validated_data.get("reason", ""))
        )

    @extend_schema(request=None, responses=PartnerResponseSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(services.withdraw_response(request.user, self.get_object()))
