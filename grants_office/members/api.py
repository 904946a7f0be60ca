from operator import attrgetter

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from grants_office.core import audit
from grants_office.core.errors import Conflict, not_permitted
from grants_office.core.export_schema import list_export
from grants_office.core.filters import MAX_ID
from grants_office.core.tabular import Column, export_format, export_response
from grants_office.members import selectors
from grants_office.members.models import Municipality, Organisation
from grants_office.members.permissions import is_office_staff
from grants_office.members.provinces import match_province


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = [
            "id",
            "name",
            "province",
            "district",
            "kind",
            "population",
            "membership_status",
            "membership_date",
            "contact_email",
            "has_project_team",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "country", "city", "website"]


class ProvinceField(forms.CharField):
    """A province as people type it ('Tekirdag', 'TEKİRDAĞ'), cleaned to its official name."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        province = match_province(value)
        if province is None:
            raise ValidationError(
                _("“%(value)s” is not a province of Türkiye."), code="invalid_choice", params={"value": value}
            )
        return province


class ProvinceFilter(filters.CharFilter):
    field_class = ProvinceField


class PopulationFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_value=MAX_ID, **kwargs)  # beyond it the database overflows


class MunicipalityFilter(filters.FilterSet):
    province = ProvinceFilter(label=_("province (official name; Turkish letters and case do not matter)"))
    membership_status = filters.ChoiceFilter(choices=Municipality.Membership.choices)
    kind = filters.ChoiceFilter(choices=Municipality.Kind.choices)
    population_min = PopulationFilter(
        field_name="population", lookup_expr="gte", min_value=0, label=_("population at least")
    )

    class Meta:
        model = Municipality
        fields = ["province", "membership_status", "kind", "has_project_team"]


REGISTRY_COLUMNS = [
    Column(_("Id"), attrgetter("pk")),
    Column(_("Name"), attrgetter("name")),
    Column(_("Province"), attrgetter("province")),
    Column(_("District"), attrgetter("district")),
    Column(_("Type"), lambda municipality: municipality.get_kind_display()),
    Column(_("Population"), attrgetter("population")),
    Column(_("Membership"), lambda municipality: municipality.get_membership_status_display()),
    Column(_("Membership date"), attrgetter("membership_date")),
    Column(_("Contact e-mail"), attrgetter("contact_email")),
]


def registry_export_refused() -> Conflict:
    """The registry's export holds every contact e-mail: the office's, refused to others as the API
    refuses the office's other reads (409 `not_permitted`)."""
    return not_permitted(gettext("Only the office exports the member registry."))


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """The union's registry of municipalities: members, non-members and those that resigned."""

    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    search_fields = ["name", "district"]
    ordering_fields = ["name", "province", "population", "membership_date"]

    def get_queryset(self):
        return selectors.municipalities()

    @list_export(
        _("Every municipality of the list, with the list's filters, search and ordering (office only)."),
        refusal=_("Only the office exports the member registry."),
    )
    def export(self, request):
        """The registry as a file (`format=csv` or `xlsx`), every row; for the office only, as it holds
        the contact e-mails."""
        if not is_office_staff(request.user):
            raise registry_export_refused()
        fmt = export_format(request.query_params)
        municipalities = self.filter_queryset(self.get_queryset())
        filename = f"member-registry-{timezone.localdate():%Y-%m-%d}"
        audit.record_export(request, Municipality, f"{filename}.{fmt}")
        return export_response(
            municipalities.iterator(chunk_size=2000), REGISTRY_COLUMNS, fmt=fmt, filename=filename
        )


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices)
    country = filters.CharFilter(field_name="country", lookup_expr="iexact")

    class Meta:
        model = Organisation
        fields = ["kind", "country"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Partner organisations outside the union."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    search_fields = ["name", "city"]
    ordering_fields = ["name", "country"]

    def get_queryset(self):
        return selectors.organisations()
