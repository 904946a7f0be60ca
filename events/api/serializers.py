"""The events API's serializers: events with their sessions and seats, registrations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.models import DocumentSet
from events.models import Event, Registration, Session
from events.selectors.listing import attach_related_ids
from events.selectors.registrations import seat_counts, waiting_position
from events.states import EventState, RegistrationState
from grants_office.calls.models import FundingProgramme, Theme
from grants_office.core.filters import validate_recorded_moment
from grants_office.core.labels import label
from grants_office.core.people import display_name
from grants_office.core.representation import HOURS, moment
from grants_office.members.models import ExpertProfile, Municipality
from grants_office.members.provinces import PROVINCE_CHOICES

# What the office plans is recent: from 1980 every zone's offset is whole minutes, so the answer writes
# each moment back as RFC 3339 (a year-420 opening came back with Istanbul's local mean time, +01:55:52).
RECORDED = {"validators": [validate_recorded_moment]}


class EventSessionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)

    class Meta:
        model = Session
        fields = ["id", "title", "starts_at", "ends_at", "hours"]
        read_only_fields = ["id"]
        extra_kwargs = {"starts_at": RECORDED, "ends_at": RECORDED}


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
        required=False, help_text=_("Without sessions: the one session's start."), **RECORDED
    )
    ends_at = serializers.DateTimeField(required=False, **RECORDED)
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
            "registration_opens_at": RECORDED,
            "registration_closes_at": RECORDED,
        }

    def to_representation(self, event):
        """The declared fields, written out: DRF's walk over 37 fields, five id lists and the nested
        sessions was most of the events list's time (issue 18). Same output, but the related ids in
        ascending order; pinned by tests/events/test_event_api.py (the written-out event equals the
        declared fields). A list attaches the ids of its page at once (`listing.attach_related_ids`)."""
        if not hasattr(event, "related_ids"):
            attach_related_ids([event])
        ids = event.related_ids
        return {
            "id": event.pk,
            "kind": event.kind,
            "kind_label": label(Event.Kind, event.kind),
            "title": event.title,
            "title_tr": event.title_tr,
            "title_en": event.title_en,
            "description_tr": event.description_tr,
            "description_en": event.description_en,
            "programmes": ids["programmes"],
            "themes": ids["themes"],
            "starts_at": moment(event.starts_at),
            "ends_at": moment(event.ends_at),
            "time_zone": event.time_zone,
            "place": event.place,
            "online_url": event.online_url,
            "capacity": event.capacity,
            "seats_per_municipality": event.seats_per_municipality,
            "waiting_list": event.waiting_list,
            "requires_approval": event.requires_approval,
            "registration_opens_at": moment(event.registration_opens_at),
            "registration_closes_at": moment(event.registration_closes_at),
            "audience": event.audience,
            "audience_provinces": list(event.audience_provinces),
            "audience_municipalities": ids["audience_municipalities"],
            "trainers": ids["trainers"],
            "agenda": event.agenda,
            "materials": ids["materials"],
            "min_attendance_percent": event.min_attendance_percent,
            "trains_project_managers": event.trains_project_managers,
            "state": event.state,
            "state_label": label(EventState, event.state),
            "cancellation_reason": event.cancellation_reason,
            "sessions": [
                {
                    "id": session.pk,
                    "title": session.title,
                    "starts_at": moment(session.starts_at),
                    "ends_at": moment(session.ends_at),
                    "hours": HOURS.to_representation(session.hours),
                }
                for session in event.sessions.all()
            ],
            "seats": self.get_seats(event),
            "my_registration": self.get_my_registration(event),
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
