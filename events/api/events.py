"""Events: the list and one event (the office creates and edits them), the steps of the machine and
the log. Thin over `events.services.events` and `events.selectors`."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from events import lifecycle
from events.api.serializers import EventSerializer, StepSerializer
from events.models import Event, Registration
from events.selectors import listing
from events.selectors import registrations as registration_selectors
from events.services import events as services
from events.states import EventState, RegistrationState
from grants_office.calls.models import FundingProgramme, Theme
from grants_office.core import concurrency
from grants_office.core.schema import ReasonSerializer

ORDERINGS = ("starts_at", "-starts_at", "title", "-title")


class EventFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Event.Kind.choices)
    state = filters.ChoiceFilter(choices=EventState.choices)
    programme = filters.ModelChoiceFilter(field_name="programmes", queryset=FundingProgramme.objects.all())
    theme = filters.ModelChoiceFilter(field_name="themes", queryset=Theme.objects.all())
    upcoming = filters.BooleanFilter(method="by_upcoming", label=_("not over yet"))
    year = filters.NumberFilter(method="by_year", label=_("the year it starts in (Europe/Istanbul)"))
    registered = filters.BooleanFilter(method="by_registered", label=_("those you are registered for"))
    ordering = filters.ChoiceFilter(
        choices=[(value, value) for value in ORDERINGS],
        method="by_ordering",
        label=_("starts_at (the default), -starts_at, title or -title (in your language)"),
    )

    class Meta:
        model = Event
        fields = ["kind", "state", "programme", "theme"]

    def by_upcoming(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(ends_at__gt=now) if value else queryset.filter(ends_at__lte=now)

    def by_year(self, queryset, name, value):
        if not 1000 <= value <= 9999:
            return queryset.none()
        return queryset.filter(starts_at__year=int(value))

    def by_registered(self, queryset, name, value):
        mine = Registration.objects.filter(
            person_id=self.request.user.pk, state__in=RegistrationState.LIVE
        ).values("event_id")
        return queryset.filter(pk__in=mine) if value else queryset.exclude(pk__in=mine)

    def by_ordering(self, queryset, name, value):
        descending = value.startswith("-")
        key = value.lstrip("-")
        if key == "title":
            key = "title_tr" if get_language() == "tr" else "title_en"
        sign = "-" if descending else ""
        return queryset.order_by(f"{sign}{key}", f"{sign}id")


AvailableSteps = inline_serializer(
    "EventSteps",
    {
        "state": serializers.CharField(),
        "steps": inline_serializer(
            "EventStep",
            {
                "name": serializers.CharField(),
                "label": serializers.CharField(),
                "target": serializers.CharField(),
                "allowed": serializers.BooleanField(),
                "reasons": ReasonSerializer(many=True),
            },
            many=True,
        ),
    },
)


class EventHistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()
    target = serializers.CharField()
    transition = serializers.CharField()
    description = serializers.CharField(allow_null=True)


class EventViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Camps, trainings, info days, programme meetings, study visits and online sessions. Everyone sees
    the events for their municipality; the office creates (as drafts), edits and runs them."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    filter_backends = [filters.DjangoFilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        events = listing.with_seats(listing.events_visible_to(self.request.user))
        # the related ids come with the page (`listing.attach_related_ids`), not as five prefetches
        return events.prefetch_related(listing.SESSIONS).order_by("starts_at", "id")

    def get_object(self):
        return listing.event_answered(self.request.user, self.kwargs["pk"])

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["mine"] = getattr(self, "_mine", {})
        return context

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = listing.attach_related_ids(list(self.paginate_queryset(queryset)))
        self._mine = registration_selectors.my_live_registrations(request.user, [event.pk for event in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _answer(self, event, status_code=status.HTTP_200_OK):
        event = self.get_object() if event is None else listing.event_answered(self.request.user, event.pk)
        self._mine = registration_selectors.my_live_registrations(self.request.user, [event.pk])
        response = Response(self.get_serializer(event).data, status=status_code)
        return concurrency.with_etag(response, services.etag(event))

    def retrieve(self, request, *args, **kwargs):
        """One event, with its `ETag`: send it back as `If-Match` when you edit it."""
        return self._answer(None)

    def _arguments(self, serializer) -> dict:
        values = dict(serializer.validated_data)
        if "sessions" in values:
            values["sessions"] = [dict(session) for session in values["sessions"]]
        return values

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(
            services.create_event(request.user, **self._arguments(serializer)), status.HTTP_201_CREATED
        )

    @extend_schema(parameters=[concurrency.IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        """Edit what the office announced while the event is to come; with `If-Match`, only the version
        you read (else 412). Moving a published event tells everyone registered."""
        event = self.get_object()
        serializer = self.get_serializer(event, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changed = services.update_event(
            request.user, event, precondition=concurrency.if_match(request), **self._arguments(serializer)
        )
        return self._answer(changed)

    @extend_schema(responses=AvailableSteps)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def transitions(self, request, pk=None):
        """The steps you may take now (the office's), each allowed or blocked with its reasons."""
        event = self.get_object()
        steps = [
            {
                "name": option.name,
                "label": option.label,
                "target": option.target,
                "allowed": option.allowed,
                "reasons": [{"code": r.code, "message": r.message} for r in option.reasons],
            }
            for option in lifecycle.available(event, request.user)
        ]
        return Response({"state": event.state, "steps": steps})

    @extend_schema(request=StepSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)", filter_backends=[])
    def transition(self, request, pk=None, name=None):
        """Run one step: open_registration, close_registration, reopen_registration, mark_held, archive,
        cancel (with a reason)."""
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        moved = services.transition_event(request.user, self.get_object(), name, **data.validated_data)
        return self._answer(moved)

    @extend_schema(responses=EventHistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        """The event's moves, oldest first."""
        entries = [
            {
                "at": entry.timestamp,
                "by": entry.by_id,
                "source": entry.source_state,
                "target": entry.state,
                "transition": entry.transition,
                "description": entry.description,
            }
            for entry in lifecycle.history(self.get_object())
        ]
        return Response(EventHistoryEntrySerializer(entries, many=True).data)
