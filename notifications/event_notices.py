"""Events of capacity building turned into notifications: registrations, changes, cancellations, the
day-before reminder and certificates (the signal contract: kinds.py). None is about a proposal: each
names its recipients by its own rule (the registered person, everyone registered, the holder) and links
to the event's page (`Event.url`), so `selectors.who_may_be_told` only leaves out inactive people and
`services.notify_many` the actor.

Texts are rendered per recipient inside their language and time zone, so every context value that
reads either is an object rendered then: the event (its `title` reads the active language), `When`,
`Place`, `Changes` and lazy labels; nothing here is turned into a string in the relay's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event as TrainingEvent
from events.models import Registration
from events.selectors.registrations import waiting_position
from events.states import RegistrationState
from notifications import kinds
from notifications.emails import absolute
from notifications.events import Event, person

# The kind a new registration is told of, by the state it got.
REGISTERED = {
    RegistrationState.CONFIRMED: kinds.EVENT_REGISTERED,
    RegistrationState.WAITLISTED: kinds.EVENT_WAITLISTED,
    RegistrationState.PENDING: kinds.EVENT_PENDING,
}
# What `event_changed`'s `changes` name, as a sentence lists them.
CHANGE_LABELS = {
    "starts_at": gettext_lazy("the start"),
    "ends_at": gettext_lazy("the end"),
    "sessions": gettext_lazy("the sessions"),
    "place": gettext_lazy("the place"),
    "online_url": gettext_lazy("the online link"),
}


def _moment(value: datetime, zone: ZoneInfo) -> str:
    return formats.date_format(timezone.localtime(value, zone), "DATETIME_FORMAT")


def _span(start: datetime, end: datetime | None, zone: ZoneInfo) -> str:
    """'21 Aralık 2026 10:00 – 17:00' (the end's date only when it is another day)."""
    if end is None:
        return _moment(start, zone)
    local_end = timezone.localtime(end, zone)
    same_day = local_end.date() == timezone.localtime(start, zone).date()
    shown_end = formats.time_format(local_end, "TIME_FORMAT") if same_day else _moment(end, zone)
    return f"{_moment(start, zone)} – {shown_end}"


@dataclass(frozen=True)
class When:
    """An event's time as its reader needs it: in the event's zone, named, and also in the reader's own
    when their clocks differ (an online session followed from Brussels)."""

    start: datetime
    end: datetime | None
    zone: ZoneInfo

    def display_for(self, reader_zone: ZoneInfo) -> str:
        there = _span(self.start, self.end, self.zone)
        moments = [m for m in (self.start, self.end) if m is not None]
        if all(m.astimezone(reader_zone).utcoffset() == m.astimezone(self.zone).utcoffset() for m in moments):
            return _("%(time)s (%(zone)s time)") % {"time": there, "zone": self.zone.key}
        return _("%(time)s your time (%(there)s %(zone)s time)") % {
            "time": _span(self.start, self.end, reader_zone),
            "there": there,
            "zone": self.zone.key,
        }


@dataclass(frozen=True)
class Place:
    """Where the event is: its place, its online link, or both."""

    place: str
    online_url: str

    def __str__(self) -> str:
        if self.place and self.online_url:
            return _("%(place)s (online: %(link)s)") % {"place": self.place, "link": self.online_url}
        return self.place or self.online_url or _("a place still to be announced")


@dataclass(frozen=True)
class Changes:
    """The names of what changed, listed in the reader's language."""

    names: tuple

    def __str__(self) -> str:
        return ", ".join(str(CHANGE_LABELS.get(name, name)) for name in self.names)


def event_link(event: TrainingEvent) -> str:
    """The event's page, where every notification about it leads."""
    return reverse("events:event", args=[event.pk])


def _about(event: TrainingEvent, *, end: bool = True) -> dict:
    """What every notification says of the event."""
    return {
        "event": event,
        "when": When(event.starts_at, event.ends_at if end else None, event.tz),
        "place": Place(event.place, event.online_url),
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


def _everyone_registered(event: TrainingEvent) -> list:
    """Everyone holding a place or waiting for one (a cancelled event's registrations keep their states)."""
    live = event.registrations.filter(state__in=RegistrationState.LIVE).select_related("person")
    return [registration.person for registration in live.order_by("pk")]


def _to_everyone(kind: str, event: TrainingEvent, by, **context) -> Event:
    return Event(
        kind=kind,
        target=event,
        proposal=None,
        recipients=_everyone_registered(event),
        actor=by,
        url=event_link(event),
        context={**_about(event), "actor": person(by), **context},
    )


# --- the builders of events.signals (the relay passes the stored arguments, read again) ---------------
def registration_created(registration, *, by=None) -> Event | None:
    """The person hears of the place they got (a seat, the waiting list, the office's approval) when
    someone else registered them; its state is read at the relay (a seat taken since, say)."""
    kind = REGISTERED.get(registration.state)
    if kind is None:
        return None  # cancelled or refused before the relay: nothing left to tell
    position = waiting_position(registration) if kind == kinds.EVENT_WAITLISTED else None
    return _to_person(kind, registration, by, position=position)


def registration_confirmed(registration, *, by=None) -> Event | None:
    """Off the waiting list, or approved by the office."""
    if registration.state != RegistrationState.CONFIRMED:
        return None  # cancelled again before the relay
    return _to_person(kinds.EVENT_PROMOTED, registration, by)


def registration_refused(registration, *, by=None, reason: str = "") -> Event:
    return _to_person(kinds.EVENT_REFUSED, registration, by, comment=reason)


def registration_cancelled(registration, *, by=None) -> Event:
    """Told only when someone else cancelled it (the actor is left out)."""
    return _to_person(kinds.EVENT_REGISTRATION_CANCELLED, registration, by)


def registration_moved(registration, *, by=None) -> Event | None:
    """The old registration points at the new one; the notification is about the new one."""
    moved = registration.moved_to
    if moved is None:
        return None
    state = RegistrationState(moved.state).label  # lazy: read in each recipient's language
    return _to_person(kinds.EVENT_MOVED, moved, by, from_event=registration.event, state=state)


def event_changed(event, *, by=None, changes=()) -> Event | None:
    """One notification per change of what was announced (times, place, online link)."""
    if not changes:
        return None
    return _to_everyone(kinds.EVENT_CHANGED, event, by, changes=Changes(tuple(changes)))


def event_cancelled(event, *, by=None, reason: str = "") -> Event:
    return _to_everyone(kinds.EVENT_CANCELLED, event, by, comment=reason)


def certificate_issued(certificate, *, by=None) -> Event | None:
    if certificate.revoked_at is not None:
        return None  # revoked before the relay
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
            "verify": absolute(reverse("events:verify", args=[certificate.display_code])),
        },
    )


# --- the reminder scan (reminders.event_reminders) ----------------------------------------------------
def event_reminder(registration: Registration, *, occasion: str) -> Event:
    """The day before: when (the start) and where, to a confirmed registration's person."""
    event = registration.event
    return Event(
        kind=kinds.EVENT_REMINDER,
        target=registration,
        proposal=None,
        recipients=[registration.person],
        occasion=occasion,
        url=event_link(event),
        context=_about(event, end=False),
    )
