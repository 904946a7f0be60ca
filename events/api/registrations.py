"""Registrations: an event's (POST registers), a person's own, and the actions on one (cancel; the
office's approve, refuse, move). Thin over `events.services.registrations`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from events.api.serializers import (
    MoveSerializer,
    ReasonInputSerializer,
    RegisterSerializer,
    RegistrationSerializer,
)
from events.models import Event, Registration
from events.selectors import listing, visible_event_ids
from events.selectors import registrations as selectors
from events.services import registrations as services
from grants_office.core.errors import Invalid, NotFound


class EventRegistrationsView(generics.ListCreateAPIView):
    """GET the registrations of an event you may read (the office: all; a team lead: their
    municipality's; anyone else: their own); POST registers you (or, as team lead, a colleague)."""

    serializer_class = RegistrationSerializer
    filter_backends = []

    def _event(self):
        return listing.event_answered(self.request.user, self.kwargs["pk"])

    def get_queryset(self):
        return selectors.registrations_visible_to(self.request.user, self._event()).select_related("event")

    @extend_schema(request=RegisterSerializer, responses={201: RegistrationSerializer})
    def post(self, request, *args, **kwargs):
        event = self._event()
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = None
        if "person" in data.validated_data:
            person = get_user_model().objects.filter(pk=data.validated_data["person"], is_active=True).first()
            if person is None:
                raise Invalid(_("Invalid input."), fields={"person": [_("No such person.")]})
        registration = services.register(
            request.user, event, person=person, municipality=data.validated_data.get("municipality")
        )
        registration = selectors.registrations_visible_to(request.user, event).get(pk=registration.pk)
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class RegistrationViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your registrations (GET list), one registration you may read, and the actions on it."""

    serializer_class = RegistrationSerializer
    queryset = Registration.objects.none()  # the schema's model; reads go through the selectors
    filter_backends = []

    def get_queryset(self):
        return selectors.my_registrations(self.request.user)

    def get_object(self):
        found = selectors.registration_visible_to(self.request.user, self.kwargs["pk"])
        if found is None:
            raise NotFound(_("Not found."))
        listing.event_answered(self.request.user, found.event_id)  # its event out of sight: 404 too
        return found

    def _answer(self, registration):
        fresh = selectors.with_positions(
            Registration.objects.select_related("event", "person", "municipality")
        ).get(pk=registration.pk)
        return Response(RegistrationSerializer(fresh).data)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Give up the place (the person, whoever registered them, their team lead or the office); the
        first on the waiting list takes the seat."""
        return self._answer(services.cancel_registration(request.user, self.get_object()))

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The office approves a pending registration: a seat, or the waiting list when full."""
        return self._answer(services.approve_registration(request.user, self.get_object()))

    @extend_schema(request=ReasonInputSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data.get("reason", "")
        return self._answer(services.refuse_registration(request.user, self.get_object(), reason=reason))

    @extend_schema(request=MoveSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """The office moves the person to another event still to come; answers the new registration."""
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = Event.objects.filter(
            pk__in=visible_event_ids(request.user), pk=data.validated_data["event"]
        ).first()
        return self._answer(services.move_registration(request.user, self.get_object(), to_event=target))
