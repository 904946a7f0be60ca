"""Domain signals: events tell, notifications listens (sent inside the transaction of the change, with
`sender` the model class; a receiver may only write rows, e.g. the notifications outbox)."""

from django.dispatch import Signal

# registration, by: a new registration (its state says confirmed, waitlisted or pending) -> the person
registration_created = Signal()
# registration, by: off the waiting list or approved by the office (now confirmed) -> the person
registration_confirmed = Signal()
# registration, by, reason: the office refused it -> the person
registration_refused = Signal()
# registration, by: cancelled by the person, their team lead or the office -> the person if not by them
registration_cancelled = Signal()
# registration (the old one), by: the office moved the person to another event (registration.moved_to)
registration_moved = Signal()
# event, by, changes (a list of field names): the office changed what it announced -> everyone registered
event_changed = Signal()
# event, by, reason: the event was cancelled -> everyone registered
event_cancelled = Signal()
# certificate, by: a certificate was issued -> its holder
certificate_issued = Signal()
