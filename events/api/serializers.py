"""The events API's serializers: events with their sessions and seats, registrations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.models import DocumentSet
from events.models import Event, Registration, Session
from events.selectors.registrations import seat_counts, waiting_position
from events.states import EventState, RegistrationState
from grants_office.calls.models import FundingProgramme, Theme
from grants_office.core.people import display_name
from grants_office.members.models import ExpertProfile, Municipality
from grants_office.members.provinces import PROVINCE_CHOICES


class EventSessionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)

    class Meta:
        model = Session
        fields = ["id", "title", "starts_at", "ends_at", "hours"]
        read_only_fields = ["id"]


class SeatsSerializer(serializers.Serializer):
    confirmed = serializers.IntegerField()
    pending = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    left = serializers.IntegerField(allow_null=True, help_text=_("Null: no limit."))


class MyRegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=RegistrationState.choices)
    position = serializers.IntegerField(allow_null=True, help_text=_("On the waiting list: the place."))


def _many(queryset):
    return serializers.PrimaryKeyRelatedField(queryset=queryset, many=True, required=False)


class EventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    title = serializers.CharField(read_only=True)
    state = serializers.ChoiceField(choices=EventState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    programmes = _many(FundingProgramme.objects.all())
    themes = _many(Theme.objects.all())
    audience_provinces = serializers.ListField(
        child=serializers.ChoiceField(choices=PROVINCE_CHOICES), required=False, max_length=81
    )
    audience_municipalities = _many(Municipality.objects.all())
    trainers = _many(ExpertProfile.objects.all())
    materials = _many(DocumentSet.objects.filter(purpose=DocumentSet.Purpose.LIBRARY))
    sessions = EventSessionSerializer(many=True, required=False, max_length=60)
    starts_at = serializers.DateTimeField(
        required=False, help_text=_("Without sessions: the one session's start.")
    )
    ends_at = serializers.DateTimeField(required=False)
    seats = serializers.SerializerMethodField()
    my_registration = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "title_tr",
            "title_en",
            "description_tr",
            "description_en",
            "programmes",
            "themes",
            "starts_at",
            "ends_at",
            "time_zone",
            "place",
            "online_url",
            "capacity",
            "seats_per_municipality",
            "waiting_list",
            "requires_approval",
            "registration_opens_at",
            "registration_closes_at",
            "audience",
            "audience_provinces",
            "audience_municipalities",
            "trainers",
            "agenda",
            "materials",
            "min_attendance_percent",
            "trains_project_managers",
            "state",
            "state_label",
            "cancellation_reason",
            "sessions",
            "seats",
            "my_registration",
        ]
        read_only_fields = ["cancellation_reason"]
        # checked by the service, which names every problem at once
        extra_kwargs = {
            "title_tr": {"required": False, "allow_blank": True},
            "title_en": {"required": False, "allow_blank": True},
            "kind": {"required": False},
        }

    @extend_schema_field(SeatsSerializer)
    def get_seats(self, event) -> dict:
        if hasattr(event, "seats_confirmed"):  # annotated by the list (`listing.with_seats`)
            confirmed, pending, waitlisted = (
                event.seats_confirmed,
                event.seats_pending,
                event.seats_waitlisted,
            )
        else:
            seats = seat_counts(event)
            confirmed, pending, waitlisted = seats.confirmed, seats.pending, seats.waitlisted
        left = None if event.capacity is None else max(0, event.capacity - confirmed)
        return {"confirmed": confirmed, "pending": pending, "waitlisted": waitlisted, "left": left}

    @extend_schema_field(MyRegistrationSerializer(allow_null=True))
    def get_my_registration(self, event) -> dict | None:
        mine = self.context.get("mine", {}).get(event.pk)
        if mine is None:
            return None
        return {"id": mine.pk, "state": mine.state, "position": _position(mine)}


def _position(registration: Registration) -> int | None:
    """The waiting place the selector annotated (`with_positions`), else asked for this one."""
    if hasattr(registration, "waiting_place"):
        return registration.waiting_place
    return waiting_position(registration)


class RegistrationSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    person_name = serializers.SerializerMethodField()
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    state = serializers.ChoiceField(choices=RegistrationState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    event_title = serializers.CharField(source="event.title", read_only=True)
    event_starts_at = serializers.DateTimeField(source="event.starts_at", read_only=True)
    position = serializers.SerializerMethodField(help_text=_("On the waiting list: the place (1 is next)."))

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "event_title",
            "event_starts_at",
            "person",
            "person_name",
            "municipality",
            "municipality_name",
            "registered_by",
            "state",
            "state_label",
            "position",
            "created_at",
            "decided_at",
            "refusal_reason",
            "cancelled_at",
            "moved_to",
        ]
        read_only_fields = fields

    def get_person_name(self, registration) -> str:
        return display_name(registration.person)

    def get_position(self, registration) -> int | None:
        return _position(registration)


class RegisterSerializer(serializers.Serializer):
    person = serializers.IntegerField(
        required=False, help_text=_("A colleague (team leads); default: yourself.")
    )
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, help_text=_("Default: your member municipality.")
    )


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False)


class MoveSerializer(serializers.Serializer):
    event = serializers.IntegerField(help_text=_("The event to move the person to."))


class StepSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text=_("Cancel: why.")
    )
