"""The states of an event and of a registration and their named groups: the one place a set of them is
spelled out, so code asks `event.state in EventState.UPCOMING` and never lists states of its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    CLOSED = "registration_closed", _("Registration closed")
    HELD = "held", _("Held")
    ARCHIVED = "archived", _("Archived")
    CANCELLED = "cancelled", _("Cancelled")

    # The groups, set below once the members exist (Enum keeps them out of the choices).
    PUBLISHED: tuple
    UPCOMING: tuple
    TAKES_ATTENDANCE: tuple
    EDITABLE: tuple


# Announced: the audience sees them (a draft is the office's).
EventState.PUBLISHED = (
    EventState.OPEN,
    EventState.CLOSED,
    EventState.HELD,
    EventState.ARCHIVED,
    EventState.CANCELLED,
)
# Still to come: registrations may be cancelled, and people are told of changes and reminded.
EventState.UPCOMING = (EventState.OPEN, EventState.CLOSED)
# Attendance is taken once registration has closed (the event is on) and after it was held.
EventState.TAKES_ATTENDANCE = (EventState.CLOSED, EventState.HELD)
# The office may still change what it announced.
EventState.EDITABLE = (EventState.DRAFT, EventState.OPEN, EventState.CLOSED)


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Waiting for the office's approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")

    LIVE: tuple
    SEATED: tuple


# Holds a place (a seat, or one on the waiting list): one such registration per person and event.
RegistrationState.LIVE = (
    RegistrationState.PENDING,
    RegistrationState.CONFIRMED,
    RegistrationState.WAITLISTED,
)
# Takes a seat of the capacity: confirmed ones (a pending one is placed when the office approves it).
RegistrationState.SEATED = (RegistrationState.CONFIRMED,)
