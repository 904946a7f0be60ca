from django.contrib import admin

from grants_office.calls.models import Call, ChecklistItem, Criterion, FundingProgramme, Rubric, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_tr"]
    search_fields = ["code", "name_en", "name_tr"]


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "funder", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "funder"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["name", "overall_threshold", "is_office_default"]
    inlines = [CriterionInline]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "title",
        "programme",
        "opens_on",
        "deadline",
        "deadline_timezone",
        "is_two_stage",
    ]
    list_filter = ["programme", "is_two_stage", "themes"]
    search_fields = ["reference", "title"]
    date_hierarchy = "deadline"
    filter_horizontal = ["themes"]
    list_select_related = ["programme"]
    inlines = [ChecklistItemInline]
