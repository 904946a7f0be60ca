"""Admin: sets and documents may be browsed; versions and the download log are read-only records."""

from django.contrib import admin

from documents.models import Document, DocumentSet, DocumentVersion, DownloadLog, PendingUpload


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = ["number", "original_filename", "size", "content_type", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DocumentSet)
class DocumentSetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "purpose", "audience", "created_at"]
    list_filter = ["purpose", "audience"]
    search_fields = ["title"]
    filter_horizontal = ["municipalities"]
    readonly_fields = ["purpose", "created_by", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "set", "created_at"]
    list_filter = ["kind", "set__purpose"]
    list_select_related = ["set"]
    search_fields = ["title"]
    readonly_fields = ["set", "created_by", "created_at"]
    inlines = [VersionInline]

    def has_add_permission(self, request, obj=None):
        return False  # documents are added through the service, which checks the owner's rules

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = [
        "document",
        "number",
        "original_filename",
        "size",
        "content_type",
        "uploaded_by",
        "uploaded_at",
    ]
    list_select_related = ["document", "uploaded_by"]
    search_fields = ["original_filename", "sha256", "document__title"]


@admin.register(PendingUpload)
class PendingUploadAdmin(ReadOnlyAdmin):
    list_display = ["filename", "document", "status", "size", "created_by", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["document", "created_by"]


@admin.register(DownloadLog)
class DownloadLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "version"]
    list_select_related = ["user", "version__document"]
    date_hierarchy = "at"
