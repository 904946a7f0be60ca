from django.contrib import admin

from grants_office.members.models import ExpertProfile, Municipality, Organisation, TeamMembership


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
    ]
    list_filter = ["membership_status", "kind", "province"]
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
