"""When an event's transitions may run: each condition blocks the move and says why
(`grants_office.core.machine.Condition`)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from grants_office.core.machine import Condition


def _sessions(event) -> list:
    return list(event.sessions.all())


has_sessions = Condition(
    "no_sessions",
    lambda event: bool(_sessions(event)),
    lambda event: _("The event has no sessions yet."),
)

has_registration_window = Condition(
    "no_registration_window",
    lambda event: event.registration_opens_at is not None and event.registration_closes_at is not None,
    lambda event: _("Set when registration opens and closes."),
)

not_over = Condition(
    "event_over",
    lambda event: event.ends_at > timezone.now(),
    lambda event: _("The event is over."),
)

not_started = Condition(
    "event_started",
    lambda event: event.starts_at > timezone.now(),
    lambda event: _("The event has begun."),
)

window_not_passed = Condition(
    "registration_window_passed",
    lambda event: event.registration_closes_at is not None and event.registration_closes_at > timezone.now(),
    lambda event: _("The registration window has passed; set a later closing time first."),
)

last_session_ended = Condition(
    "not_over_yet",
    lambda event: event.ends_at <= timezone.now(),
    lambda event: _("The event has not ended yet."),
)
