"""Admin for comments: read-only with their edit history (moderation is resolving, not rewriting)."""

from django.contrib import admin

from workflows.discussion.models import Comment, CommentRevision


class RevisionInline(admin.TabularInline):
    model = CommentRevision
    extra = 0
    can_delete = False
    fields = ["body", "edited_by", "edited_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "author", "visibility", "created_at", "resolved_at"]
    list_filter = ["visibility"]
    list_select_related = ["proposal", "author"]
    search_fields = ["body", "proposal__title", "author__username"]
    readonly_fields = [
        "proposal",
        "version",
        "parent",
        "author",
        "visibility",
        "body",
        "created_at",
        "edited_at",
        "resolved_at",
        "resolved_by",
    ]
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
