"""The cooperation registry: agreements and network memberships (the office records them; every
signed-in member reads them). Thin over `cooperation.services.agreements` and its selectors."""

from __future__ import annotations

from django_filters import rest_framework as filters
from rest_framework import mixins, serializers, viewsets

from cooperation.models import Cooperation
from cooperation.selectors import agreements as selectors
from cooperation.services import agreements as services
from grants_office.members.models import Municipality, Organisation


class CooperationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Cooperation.Kind.choices, method="by")
    municipality = filters.ModelChoiceFilter(
        field_name="municipalities", queryset=Municipality.objects.all(), method="by"
    )
    organisation = filters.ModelChoiceFilter(
        field_name="organisations", queryset=Organisation.objects.all(), method="by"
    )

    class Meta:
        model = Cooperation
        fields = ["kind", "municipality", "organisation"]

    def by(self, queryset, name, value):
        name = {"municipalities": "municipality", "organisations": "organisation"}.get(name, name)
        return selectors.filter_cooperations(queryset, **{name: value})


class PartyBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CooperationSerializer(serializers.ModelSerializer):
    municipalities = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), many=True, required=False
    )
    organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, required=False
    )
    municipality_names = PartyBriefSerializer(source="municipalities", many=True, read_only=True)
    organisation_names = PartyBriefSerializer(source="organisations", many=True, read_only=True)

    class Meta:
        model = Cooperation
        fields = [
            "id",
            "kind",
            "title",
            "municipalities",
            "organisations",
            "municipality_names",
            "organisation_names",
            "union_wide",
            "signed_on",
            "ends_on",
            "scope",
            "document_set",
            "created_at",
        ]
        read_only_fields = ["document_set", "created_at"]
        # the rules (parties, dates) are the service's, for the API and the page alike
        validators = []

    def create(self, validated_data):
        return services.record_cooperation(self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_cooperation(self.context["request"].user, instance, **validated_data)


class CooperationViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Sister-city and cooperation agreements and network memberships (UCLG-MEWA, CEMR, ...)."""

    serializer_class = CooperationSerializer
    filterset_class = CooperationFilter
    filter_backends = [filters.DjangoFilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.cooperations_visible_to(self.request.user)

    def get_object(self):
        return selectors.visible_cooperation(self.request.user, self.kwargs["pk"])
