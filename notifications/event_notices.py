"""Events of capacity building turned into notifications: registrations, changes, cancellations,
reminders and certificates. None is about a proposal: each names its recipients by its own rule (the
registered person, everyone registered, the holder) and links to the event's page (`Event.url`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event as TrainingEvent
from events.models import Registration
from events.selectors.registrations import waiting_position
from events.states import RegistrationState
from notifications import kinds
from notifications.events import Event, person

REGISTERED = {
    RegistrationState.CONFIRMED: kinds.EVENT_REGISTERED,
    RegistrationState.WAITLISTED: kinds.EVENT_WAITLISTED,
    RegistrationState.PENDING: kinds.EVENT_PENDING,
}
CHANGE_LABELS = {
    "starts_at": gettext_lazy("the start"),
    "ends_at": gettext_lazy("the end"),
    "sessions": gettext_lazy("the sessions"),
    "place": gettext_lazy("the place"),
    "online_url": gettext_lazy("the online link"),
}


@dataclass(frozen=True)
class InEventZone:
    """A moment as the event's own zone reads it, in the recipient's language."""

    moment: datetime
    zone: object

    def display_for(self, _recipient_zone) -> str:
        return formats.date_format(timezone.localtime(self.moment, self.zone), "DATETIME_FORMAT")


class Place:
    """Where the event is: its place, else its online link ("online" when neither is known)."""

    def __init__(self, event: TrainingEvent):
        self.event = event

    def __str__(self) -> str:
        return self.event.place or self.event.online_url or str(_("online"))


def event_link(event: TrainingEvent) -> str:
    return reverse("events:event", args=[event.pk])


def _about(event: TrainingEvent) -> dict:
    """What every event notification says of the event; rendered in each recipient's language."""
    return {
        "event": event,
        "start": event.starts_at,
        "start_there": InEventZone(event.starts_at, event.tz),
        "event_zone": event.time_zone,
        "place": Place(event),
    }


def _to_person(kind: str, registration: Registration, by, **context) -> Event:
    event = registration.event
    return Event(
        kind=kind,
        target=registration,
        proposal=None,
        recipients=[registration.person],
        actor=by,
        url=event_link(event),
        context={**_about(event), "actor": person(by), **context},
    )


def registration_created(registration, *, by=None) -> Event | None:
    kind = REGISTERED.get(registration.state)
    if kind is None:
        return None
    return _to_person(kind, registration, by, position=waiting_position(registration) or 1)


def registration_confirmed(registration, *, by=None) -> Event | None:
    if registration.state != RegistrationState.CONFIRMED:
        return None  # moved on since (cancelled again): nothing to tell
    return _to_person(kinds.EVENT_PROMOTED, registration, by)


def registration_refused(registration, *, by=None, reason: str = "") -> Event:
    return _to_person(kinds.EVENT_REFUSED, registration, by, comment=reason)


def registration_cancelled(registration, *, by=None) -> Event:
    return _to_person(kinds.EVENT_REGISTRATION_CANCELLED, registration, by)


def registration_moved(registration, *, by=None) -> Event | None:
    moved = registration.moved_to
    if moved is None:
        return None
    # the state's label stays lazy: each recipient reads it in their language
    state = RegistrationState(moved.state).label
    return _to_person(kinds.EVENT_MOVED, moved, by, from_event=registration.event, state=state)


def _everyone_registered(event: TrainingEvent) -> list:
    return [
        r.person
        for r in event.registrations.filter(state__in=RegistrationState.LIVE).select_related("person")
    ]


def event_changed(event, *, by=None, changes=()) -> Event:
    labels = ", ".join(str(CHANGE_LABELS.get(name, name)) for name in changes)
    return Event(
        kind=kinds.EVENT_CHANGED,
        target=event,
        proposal=None,
        recipients=_everyone_registered(event),
        actor=by,
        url=event_link(event),
        context={**_about(event), "changes": labels},
    )


def event_cancelled(event, *, by=None, reason: str = "") -> Event:
    return Event(
        kind=kinds.EVENT_CANCELLED,
        target=event,
        proposal=None,
        recipients=_everyone_registered(event),
        actor=by,
        url=event_link(event),
        context={**_about(event), "comment": reason},
    )


def event_reminder(registration: Registration, *, occasion: str) -> Event:
    notice = _to_person(kinds.EVENT_REMINDER, registration, None)
    notice.occasion = occasion
    return notice


def certificate_issued(certificate, *, by=None) -> Event:
    registration = certificate.registration
    return Event(
        kind=kinds.CERTIFICATE_ISSUED,
        target=certificate,
        proposal=None,
        recipients=[registration.person],
        actor=by,
        url=reverse("events:my-certificates"),
        context={
            **_about(registration.event),
            "code": certificate.display_code,
            "verify": reverse("events:verify", args=[certificate.display_code]),
        },
    )
