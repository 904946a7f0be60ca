"""Admin for expert review: read-only where history matters (states, scores, declarations)."""

from django.contrib import admin

from workflows.review.models import Review, ReviewAssignment, ReviewRound, ReviewScore, RoundCriterion


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RoundCriterionInline(ReadOnlyInline):
    model = RoundCriterion
    fields = ["code", "title", "scale_min", "scale_max", "step", "threshold", "weight"]


class AssignmentInline(ReadOnlyInline):
    model = ReviewAssignment
    fields = ["reviewer", "state", "due_at", "invited_at", "declared_at"]


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    """Opened and closed through the services (they move the proposal); here only the due date changes."""

    list_display = ["proposal", "number", "due_at", "opened_at", "closed_at"]
    list_select_related = ["proposal"]
    search_fields = ["proposal__title", "proposal__acronym"]
    readonly_fields = [
        "proposal",
        "number",
        "rubric_name",
        "overall_threshold",
        "versions",
        "feedback",
        "opened_by",
        "opened_at",
        "closed_by",
        "closed_at",
    ]
    inlines = [RoundCriterionInline, AssignmentInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "round", "state", "due_at", "declared_at"]
    list_filter = ["state"]
    list_select_related = ["reviewer", "round__proposal"]
    search_fields = ["reviewer__username", "reviewer__last_name", "round__proposal__title"]
    readonly_fields = [
        "round",
        "reviewer",
        "state",
        "invited_by",
        "invited_at",
        "declaration",
        "declared_no_conflict",
        "declared_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScoreInline(ReadOnlyInline):
    model = ReviewScore
    fields = ["criterion", "score", "comment"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["assignment", "recommendation", "submitted_at"]
    list_select_related = ["assignment__reviewer", "assignment__round__proposal"]
    readonly_fields = ["assignment", "recommendation", "comment", "created_at", "updated_at", "submitted_at"]
    inlines = [ScoreInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
