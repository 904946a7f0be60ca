"""Domain signals -> the outbox -> events -> notifications. Connected in NotificationsConfig.ready.

Signals are sent inside the transaction of the change. A receiver here only writes the outbox row
(`outbox.record`), so the event commits or rolls back with the change; the builders below run later,
in the relay, and turn the stored arguments into events.
"""

from notifications import events, outbox


def proposal_transitioned(proposal, transition, source, target, by=None, comment=""):
    return events.proposal_transitioned(
        proposal, transition=transition, source=source, target=target, by=by, comment=comment
    )


def proposal_created(proposal, by=None):
    return events.proposal_created(proposal, by=by)


def consultation_scheduled(consultation, by=None):
    return events.consultation_scheduled(consultation, by=by)


def version_created(version, by=None):
    return events.version_created(version, by=by)


def reviewer_assigned(assignment, by=None):
    return events.review_assigned(assignment, by=by)


def assignment_transitioned(assignment, target, by=None, comment="", **_ignored):
    return events.assignment_transitioned(assignment, target=target, by=by, comment=comment)


def all_reviews_in(review_round, by=None):
    return events.review_round_completed(review_round, by=by)


def comment_posted(comment, by=None):
    return events.comment_posted(comment, by=by)


def comment_mentioned(comment, user, by=None):
    return events.comment_mentioned(comment, user=user, by=by)


WORKFLOWS_SIGNALS = [
    proposal_transitioned,
    proposal_created,
    consultation_scheduled,
    # expert review and discussion (see the signal contract in kinds.py)
    reviewer_assigned,
    assignment_transitioned,
    all_reviews_in,
    comment_posted,
    comment_mentioned,
]
DOCUMENTS_SIGNALS = [version_created]


def _recorder(name: str):
    def receiver(sender, signal=None, **arguments):
        outbox.record(name, **arguments)

    return receiver


def connect() -> None:
    from documents import signals as documents_signals
    from workflows import signals as workflows_signals

    for module, builders in ((workflows_signals, WORKFLOWS_SIGNALS), (documents_signals, DOCUMENTS_SIGNALS)):
        for builder in builders:
            name = builder.__name__
            outbox.BUILDERS[name] = builder
            getattr(module, name).connect(_recorder(name), weak=False, dispatch_uid=f"notifications.{name}")
