from django.contrib import admin

from notifications.models import Notification, NotificationPreference, OutboxEvent


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "email_status", "email_attempts"]
    list_filter = ["kind", "email_status"]
    search_fields = ["title", "recipient__username", "recipient__email"]
    raw_id_fields = ["recipient", "actor"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel"]
    list_filter = ["kind", "channel"]
    raw_id_fields = ["user"]


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    """Read only: an event still waiting after many attempts shows its last error here."""

    list_display = ["created_at", "signal", "relayed_at", "attempts", "next_attempt_at"]
    list_filter = ["signal", ("relayed_at", admin.EmptyFieldListFilter)]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
