"""Domain signals -> events -> notifications. Connected in NotificationsConfig.ready.

Signals arrive after the sender's transaction committed: a failure here must not turn a done action
into an error for the person who did it, so it is logged instead.
"""

import functools
import logging

from notifications import events, services

logger = logging.getLogger(__name__)


def _safely(receiver):
    @functools.wraps(receiver)
    def wrapper(sender, **kwargs):
        try:
            receiver(sender, **kwargs)
        except Exception:
            logger.exception("Notifications for %s failed", receiver.__name__)

    return wrapper


@_safely
def on_proposal_transitioned(sender, proposal, transition, source, target, by=None, comment="", **kwargs):
    services.notify(
        events.proposal_transitioned(
            proposal, transition=transition, source=source, target=target, by=by, comment=comment
        )
    )


@_safely
def on_proposal_created(sender, proposal, by=None, **kwargs):
    services.notify(events.proposal_created(proposal, by=by))


@_safely
def on_consultation_scheduled(sender, consultation, by=None, **kwargs):
    services.notify(events.consultation_scheduled(consultation, by=by))


@_safely
def on_version_created(sender, version, by=None, **kwargs):
    services.notify(events.version_created(version, by=by))


@_safely
def on_review_assigned(sender, assignment, by=None, **kwargs):
    services.notify(events.review_assigned(assignment, by=by))


@_safely
def on_assignment_transitioned(sender, assignment, target, by=None, comment="", **kwargs):
    services.notify(events.assignment_transitioned(assignment, target=target, by=by, comment=comment))


@_safely
def on_all_reviews_in(sender, review_round, by=None, **kwargs):
    services.notify(events.review_round_completed(review_round, by=by))


@_safely
def on_comment_posted(sender, comment, by=None, **kwargs):
    for event in events.comment_posted(comment, by=by):
        services.notify(event)


@_safely
def on_comment_mentioned(sender, comment, user, by=None, **kwargs):
    services.notify(events.comment_mentioned(comment, user=user, by=by))


# Signals of the expert review and discussion work (see the contract in kinds.py).
REVIEW_AND_DISCUSSION_SIGNALS = {
    "reviewer_assigned": on_review_assigned,
    "assignment_transitioned": on_assignment_transitioned,
    "all_reviews_in": on_all_reviews_in,
    "comment_posted": on_comment_posted,
    "comment_mentioned": on_comment_mentioned,
}


def connect() -> None:
    from documents import signals as documents_signals
    from workflows import signals as workflows_signals

    uid = "notifications"
    workflows_signals.proposal_transitioned.connect(
        on_proposal_transitioned, dispatch_uid=f"{uid}.transitioned"
    )
    workflows_signals.proposal_created.connect(on_proposal_created, dispatch_uid=f"{uid}.created")
    workflows_signals.consultation_scheduled.connect(
        on_consultation_scheduled, dispatch_uid=f"{uid}.consultation"
    )
    documents_signals.version_created.connect(on_version_created, dispatch_uid=f"{uid}.version")
    for name, receiver in REVIEW_AND_DISCUSSION_SIGNALS.items():
        getattr(workflows_signals, name).connect(receiver, dispatch_uid=f"{uid}.{name}")
