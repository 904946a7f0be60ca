from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils.translation import gettext_lazy as _

from grants_office.core.fields import CodeListField
from grants_office.members.models import (
    CallEligibility,
    ExpertProfile,
    Municipality,
    Organisation,
    TeamMembership,
)
from grants_office.members.provinces import PROVINCE_CHOICES


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["user"]
    fk_name = "municipality"


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "province",
        "district",
        "kind",
        "population",
        "membership_status",
        "membership_date",
        "has_project_team",
    ]
    list_filter = ["membership_status", "kind", "has_project_team", "province"]
    search_fields = ["name", "district", "province"]
    inlines = [TeamMembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "city"]


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "organisation", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "municipality__name", "organisation__name"]
    autocomplete_fields = ["user", "municipality", "organisation"]
    list_select_related = ["user", "municipality", "organisation"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "affiliation_municipality",
        "affiliation_organisation",
        "is_board_member",
        "is_active",
    ]
    list_filter = ["is_board_member", "is_active", "themes"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["themes"]
    autocomplete_fields = ["user", "affiliation_municipality", "affiliation_organisation"]
    list_select_related = ["user", "affiliation_municipality", "affiliation_organisation"]


class CallEligibilityForm(forms.ModelForm):
    """The lists as choices (provinces in Turkish order), countries typed as "BG, GR"; the model's
    `clean()` still checks every value."""

    lead_provinces = forms.MultipleChoiceField(
        label=_("provinces that may lead"),
        choices=PROVINCE_CHOICES,
        required=False,
        widget=FilteredSelectMultiple(_("provinces"), is_stacked=False),
        help_text=_("None chosen: any province."),
    )
    lead_kinds = forms.MultipleChoiceField(
        label=_("municipality types that may lead"),
        choices=Municipality.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: any type."),
    )
    partner_countries = CodeListField(
        label=_("countries partners may come from"),
        required=False,
        help_text=_("Two-letter codes separated by commas, e.g. BG, GR, TR; empty: any."),
    )
    partner_kinds = forms.MultipleChoiceField(
        label=_("kinds of organisation that may partner"),
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A Turkish municipality partnering counts as a municipality. None chosen: any."),
    )

    class Meta:
        model = CallEligibility
        fields = [
            "call",
            "lead_provinces",
            "lead_kinds",
            "lead_population_min",
            "lead_population_max",
            "lead_membership_required",
            "partner_countries",
            "partner_kinds",
            "min_partners",
            "min_eu_partners",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = self.initial.get("partner_countries")
        if isinstance(countries, list):  # the form shows the text people type
            self.initial["partner_countries"] = ", ".join(countries)


@admin.register(CallEligibility)
class CallEligibilityAdmin(admin.ModelAdmin):
    form = CallEligibilityForm
    list_display = ["call", "lead_membership_required", "min_partners", "min_eu_partners"]
    list_filter = ["lead_membership_required"]
    search_fields = ["call__reference", "call__title"]
    autocomplete_fields = ["call"]
    list_select_related = ["call"]
