from django.contrib import admin

from events.models import Attendance, Certificate, Event, Registration, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title_tr", "kind", "starts_at", "state", "capacity"]
    list_filter = ["kind", "state", "audience"]
    search_fields = ["title_tr", "title_en"]
    filter_horizontal = ["programmes", "themes", "audience_municipalities", "trainers", "materials"]
    readonly_fields = ["state", "version"]
    inlines = [SessionInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "event", "municipality", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["event", "person", "municipality", "registered_by", "decided_by", "moved_to"]
    # Registrations change through the services (seats, the waiting list, notifications).
    readonly_fields = ["state"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["registration", "session", "present"]
    raw_id_fields = ["session", "registration", "marked_by"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["display_code", "holder_name", "registration", "issued_at", "revoked_at"]
    search_fields = ["code", "holder_name"]
    raw_id_fields = ["registration", "issued_by", "revoked_by"]
    readonly_fields = ["code", "revoked_at", "revoked_by", "revocation_reason"]
