from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from grants_office.calls.forms import CallDeadlinesForm
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
    list_display = ["name", "overall_threshold", "disagreement_rule", "disagreement_gap", "is_office_default"]
    list_filter = ["disagreement_rule"]
    inlines = [CriterionInline]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallDeadlinesForm  # deadlines typed and shown in the call's zone, not the admin user's
    list_display = [
        "reference",
        "title",
        "programme",
        "opens_on",
        "funder_deadline",
        "is_two_stage",
    ]
    list_filter = ["programme", "is_two_stage", "themes"]
    search_fields = ["reference", "title"]
    date_hierarchy = "deadline"
    filter_horizontal = ["themes"]
    list_select_related = ["programme"]
    inlines = [ChecklistItemInline]

    @admin.display(description=_("deadline (funder's time)"), ordering="deadline")
    def funder_deadline(self, call):
        return call.deadline_display()
