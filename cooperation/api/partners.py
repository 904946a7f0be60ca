"""Partner profiles and partner search: `GET /api/v1/partners/`, `GET|PATCH /api/v1/partners/{id}/`."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from cooperation.partner_filters import PartnerFilter
from cooperation.selectors import partners as selectors
from cooperation.services import profiles as services
from grants_office.core import concurrency


class ProfileThemeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="__str__")


class PartnerProfileSerializer(serializers.Serializer):
    """A row of partner search."""

    id = serializers.IntegerField()
    party_type = serializers.SerializerMethodField()
    party_id = serializers.SerializerMethodField()
    name = serializers.CharField(source="party.name")
    country = serializers.SerializerMethodField()
    place = serializers.SerializerMethodField(help_text=_("City abroad; province / district in Türkiye."))
    kind = serializers.SerializerMethodField(help_text=_("Organisation kind; the union's: municipality."))
    kind_label = serializers.SerializerMethodField()
    themes = ProfileThemeSerializer(many=True, source="themes.all")
    languages = serializers.ListField(child=serializers.CharField())
    pic = serializers.CharField()
    in_agreement = serializers.BooleanField(help_text=_("In an agreement in force with your municipality."))
    past_project_count = serializers.IntegerField(source="past_projects")

    @extend_schema_field(serializers.ChoiceField(choices=["municipality", "organisation"]))
    def get_party_type(self, profile) -> str:
        return "municipality" if profile.municipality_id else "organisation"

    def get_party_id(self, profile) -> int:
        return profile.municipality_id or profile.organisation_id

    def get_country(self, profile) -> str:
        return "TR" if profile.municipality_id else profile.organisation.country

    def get_place(self, profile) -> str:
        if profile.organisation_id:
            return profile.organisation.city
        municipality = profile.municipality
        return " / ".join(part for part in (municipality.province, municipality.district) if part)

    def get_kind(self, profile) -> str:
        return "municipality" if profile.municipality_id else profile.organisation.kind

    def get_kind_label(self, profile) -> str:
        return str(profile.party.get_kind_display())


class PastProjectSerializer(serializers.Serializer):
    title = serializers.CharField()
    call_reference = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    role = serializers.CharField(help_text=_("lead, lead_partner, partner or associated"))
    role_label = serializers.CharField()


class PartnerProfileDetailSerializer(PartnerProfileSerializer):
    priorities = serializers.CharField()
    description = serializers.CharField()
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    updated_at = serializers.DateTimeField()
    past_projects = serializers.SerializerMethodField()

    @extend_schema_field(PastProjectSerializer(many=True))
    def get_past_projects(self, profile):
        return PastProjectSerializer(selectors.past_projects(profile), many=True).data


class ProfileEditSerializer(serializers.Serializer):
    """The shape of an edit; the service checks the values (400 with `fields`)."""

    pic = serializers.CharField(required=False, allow_blank=True, max_length=20)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False, max_length=50
    )
    themes = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        max_length=200,
        help_text=_("Theme codes."),
    )
    priorities = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact_email = serializers.CharField(required=False, allow_blank=True, max_length=254)


class PartnerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cooperation profiles of the union's municipalities and of organisations, and partner search:
    full-text in Turkish and English, partners in an agreement with your municipality first."""

    serializer_class = PartnerProfileSerializer
    filterset_class = PartnerFilter
    filter_backends = [filters.DjangoFilterBackend]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.profiles(self.request.user)

    def get_object(self):
        return selectors.partner_profile(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self):
        return PartnerProfileSerializer if self.action == "list" else PartnerProfileDetailSerializer

    def _answer(self, profile):
        response = Response(
            PartnerProfileDetailSerializer(profile, context=self.get_serializer_context()).data
        )
        return concurrency.with_etag(response, services.profile_tag(profile))

    def retrieve(self, request, *args, **kwargs):
        """One profile with its past projects and its `ETag` (send it back as `If-Match` to edit)."""
        return self._answer(self.get_object())

    @extend_schema(request=ProfileEditSerializer, parameters=[concurrency.IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        """Edit the profile: the party's team lead or the office; with `If-Match`, only the version
        you read (else 412)."""
        profile = self.get_object()
        edit = ProfileEditSerializer(data=request.data)
        edit.is_valid(raise_exception=True)
        services.update_profile(
            request.user, profile, precondition=concurrency.if_match(request), **edit.validated_data
        )
        return self._answer(self.get_object())
