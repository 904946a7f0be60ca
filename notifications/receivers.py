"""Domain signals -> the outbox -> events -> notifications. Connected in NotificationsConfig.ready.

Signals are sent inside the transaction of the change. A receiver here only writes the outbox row
(`outbox.record`), so the event commits or rolls back with the change; the relay later calls the
signal's event builder (`notifications/events.py`) with the stored arguments.
"""

from cooperation import signals as cooperation_signals
from documents import signals as documents_signals
from events import signals as events_signals
from notifications import event_notices, events, outbox
from workflows import signals as workflows_signals

# signal name -> the event builder its arguments are passed to (see the signal contract in kinds.py)
WORKFLOWS_SIGNALS = {
    "proposal_transitioned": events.proposal_transitioned,
    "proposal_created": events.proposal_created,
    "consultation_scheduled": events.consultation_scheduled,
    # expert review and discussion
    "reviewer_assigned": events.review_assigned,
    "assignment_transitioned": events.assignment_transitioned,
    "all_reviews_in": events.review_round_completed,
    "comment_posted": events.comment_posted,
    "comment_mentioned": events.comment_mentioned,
}
DOCUMENTS_SIGNALS = {"version_created": events.version_created}
COOPERATION_SIGNALS = {
    "partner_response_received": events.partner_response_received,
    "partner_response_decided": events.partner_response_decided,
    "partner_request_closed": events.partner_request_closed,
}
# capacity building: about no proposal, each builder names its recipients (notifications/event_notices.py)
EVENTS_SIGNALS = {
    "registration_created": event_notices.registration_created,
    "registration_confirmed": event_notices.registration_confirmed,
    "registration_refused": event_notices.registration_refused,
    "registration_cancelled": event_notices.registration_cancelled,
    "registration_moved": event_notices.registration_moved,
    "event_changed": event_notices.event_changed,
    "event_cancelled": event_notices.event_cancelled,
    "certificate_issued": event_notices.certificate_issued,
}


def _recorder(name: str):
    def receiver(sender, signal=None, **arguments):
        outbox.record(name, **arguments)

    return receiver


def connect() -> None:
    for module, builders in (
        (workflows_signals, WORKFLOWS_SIGNALS),
        (documents_signals, DOCUMENTS_SIGNALS),
        (cooperation_signals, COOPERATION_SIGNALS),
        (events_signals, EVENTS_SIGNALS),
    ):
        for name, builder in builders.items():
            outbox.BUILDERS[name] = builder
            getattr(module, name).connect(_recorder(name), weak=False, dispatch_uid=f"notifications.{name}")
