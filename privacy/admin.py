"""The exports of people's data in the admin: read-only, the record that each request was answered."""

from django.contrib import admin

from privacy.models import DataExport


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "requested_by",
        "state",
        "requested_at",
        "ready_at",
        "expires_at",
        "files",
        "size",
    ]
    list_filter = ["state"]
    search_fields = ["subject__username", "subject__last_name", "subject__email"]
    list_select_related = ["subject", "requested_by"]
    exclude = ["storage_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
