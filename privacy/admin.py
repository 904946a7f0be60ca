"""The exports of people's data and the erasures in the admin: read-only, the record that each request
was answered."""

from django.contrib import admin

from privacy.models import DataExport, Erasure, PrivacyNotice


class ReadOnly:
    """Records of requests answered: shown, never added or changed here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DataExport)
class DataExportAdmin(ReadOnly, admin.ModelAdmin):
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


@admin.register(Erasure)
class ErasureAdmin(ReadOnly, admin.ModelAdmin):
    """The record that a person was erased; erasing is the person page's (or erase_person)."""

    list_display = ["pseudonym", "erased_by", "erased_at"]
    list_select_related = ["erased_by"]
    search_fields = ["pseudonym"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(ReadOnly, admin.ModelAdmin):
    """Versions are published from /privacy/notice/publish/ and never changed."""

    list_display = ["version", "published_at", "published_by"]
    list_select_related = ["published_by"]

    def has_delete_permission(self, request, obj=None):
        return False
