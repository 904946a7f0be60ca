"""The tests' calendar: an event's days pass (its sessions, window and span move to the past)."""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from events.models import Event, Session


def into_the_past(event: Event, *, ended_ago: timedelta = timedelta(hours=1)) -> Event:
    event = Event.objects.get(pk=event.pk)  # a protected state field refuses refresh_from_db
    shift = timezone.now() - ended_ago - event.ends_at
    moved = {"starts_at": F("starts_at") + shift, "ends_at": F("ends_at") + shift}
    Session.objects.filter(event=event).update(**moved)
    Event.objects.filter(pk=event.pk).update(
        **moved,
        registration_opens_at=F("registration_opens_at") + shift,
        registration_closes_at=F("registration_closes_at") + shift,
    )
    return Event.objects.get(pk=event.pk)
