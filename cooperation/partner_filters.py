"""The filters of partner search, one set for `GET /api/v1/partners/` and the page `/partners/`: a bad
value answers 400 with `fields` (the API) or shows on the form (the page)."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cooperation.models import PartnerProfile
from cooperation.selectors import partners as selectors
from grants_office.calls.models import FundingProgramme, Theme
from grants_office.members.models import Organisation

MAX_QUERY = 200


class CountryField(forms.CharField):
    """An ISO 3166-1 alpha-2 code in either case, cleaned to upper case."""

    default_validators = [
        RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter country code, e.g. BG."), code="invalid_country")
    ]

    def to_python(self, value):
        return super().to_python(value).upper()


class CountryFilter(filters.CharFilter):
    field_class = CountryField


@extend_schema_field(OpenApiTypes.STR)
class ThemeFilter(filters.ModelChoiceFilter):
    """A theme by its code."""


@extend_schema_field(OpenApiTypes.INT)
class ProgrammeFilter(filters.ModelChoiceFilter):
    """A funding programme by its id."""


KIND_CHOICES = [
    (value, _("Municipality (the union's or abroad)") if value == Organisation.Kind.MUNICIPALITY else label)
    for value, label in Organisation.Kind.choices
]


class PartnerFilter(filters.FilterSet):
    q = filters.CharFilter(
        max_length=MAX_QUERY,
        label=_("Words"),
        help_text=_("Names, places, themes, descriptions and past projects; Turkish or English."),
    )
    country = CountryFilter(
        max_length=2,
        label=_("Country"),
        help_text=_("ISO code, e.g. BG; TR includes the union's municipalities."),
    )
    kind = filters.ChoiceFilter(choices=KIND_CHOICES, label=_("Kind"))
    theme = ThemeFilter(queryset=Theme.objects.order_by("code"), to_field_name="code", label=_("Theme"))
    programme = ProgrammeFilter(
        queryset=FundingProgramme.objects.all(),
        label=_("Past projects in programme"),
        help_text=_("Parties with a funded project in one of the programme's calls."),
    )

    class Meta:
        model = PartnerProfile
        fields = ["q", "country", "kind", "theme", "programme"]

    def filter_queryset(self, queryset):
        """The search is one query with its own ranking (`selectors.search_partners`)."""
        data = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        return selectors.search_partners(self.request.user, **data)
