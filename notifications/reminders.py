"""Reminder sources for the scan: each is one function `source(now) -> Iterable[Event]`.

A source yields only occasions that have no notification yet (one cheap query), each with a stable
occasion string; the unique key (recipient, kind, object, occasion) keeps a second scan, a retry or
two scans racing from ever writing the same reminder twice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from events.models import Registration
from events.states import EventState, RegistrationState
from notifications import event_notices, events, kinds, selectors
from notifications.models import Notification
from workflows.models import Proposal
from workflows.review.models import ReviewAssignment
from workflows.states import AssignmentState, State


def offsets(setting: str = "NOTIFICATIONS_DEADLINE_OFFSETS") -> list[int]:
    """Days before a deadline on which to remind, largest first."""
    return sorted({int(days) for days in getattr(settings, setting) if int(days) > 0}, reverse=True)


def due_offset(deadline: datetime, now: datetime, days: list[int]) -> int | None:
    """The nearest offset whose moment has come (10 days before -> 14), None once the deadline passed."""
    left = deadline - now
    if left <= timedelta(0):
        return None
    reached = [d for d in days if left <= timedelta(days=d)]
    return min(reached) if reached else None


def days_left(deadline: datetime, now: datetime) -> int:
    return max(1, math.ceil((deadline - now).total_seconds() / 86400))


def occasion(deadline: datetime, offset: int) -> str:
    return f"deadline {deadline.astimezone(UTC):%Y-%m-%dT%H:%MZ} -{offset}d"


def _done(kind: str, model, pairs: list[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (object id, occasion) already have a notification of this kind."""
    if not pairs:
        return set()
    return set(
        Notification.objects.filter(
            kind=kind,
            content_type=ContentType.objects.get_for_model(model),
            object_id__in={pk for pk, _ in pairs},
            occasion__in={occ for _, occ in pairs},
        )
        .order_by()
        .values_list("object_id", "occasion")
        .distinct()
    )


def call_deadlines(now: datetime) -> Iterable[events.Event]:
    days = offsets()
    if not days:
        return
    # The deadline that applies to each proposal: stage-2 teams count down to the stage-2 deadline.
    proposals = (
        Proposal.objects.alive()
        .with_deadline()
        .filter(
            state__in=State.BEFORE_SUBMISSION,  # a deadline concerns what is still prepared
            applicable_deadline__gt=now,
            applicable_deadline__lte=now + timedelta(days=max(days)),
        )
        .select_related("call", "lead", "coordinator")
        .order_by("applicable_deadline", "pk")
    )
    due = []
    for proposal in proposals:
        offset = due_offset(proposal.deadline, now, days)
        if offset is not None:
            due.append((proposal, occasion(proposal.deadline, offset)))
    done = _done(kinds.CALL_DEADLINE, Proposal, [(p.pk, occ) for p, occ in due])
    due = [(proposal, occ) for proposal, occ in due if (proposal.pk, occ) not in done]
    teams = selectors.proposal_teams(proposal for proposal, _ in due)  # every team in two queries
    for proposal, occ in due:
        yield events.call_deadline(
            proposal, days=days_left(proposal.deadline, now), occasion=occ, team=teams[proposal.pk]
        )


def _open_assignments():
    return ReviewAssignment.objects.filter(
        state__in=AssignmentState.AWAITING,
        round__closed_at__isnull=True,
        round__proposal__deleted_at__isnull=True,
    ).select_related("reviewer", "round__proposal__coordinator", "round__proposal__lead")


def review_due_dates(now: datetime) -> Iterable[events.Event]:
    """The reviewer, some days before the review is due (setting NOTIFICATIONS_REVIEW_OFFSETS)."""
    days = offsets("NOTIFICATIONS_REVIEW_OFFSETS")
    if not days:
        return
    assignments = _open_assignments().filter(due_at__gt=now, due_at__lte=now + timedelta(days=max(days)))
    due = []
    for assignment in assignments.order_by("due_at", "pk"):
        offset = due_offset(assignment.due_at, now, days)
        if offset is not None:
            due.append((assignment, occasion(assignment.due_at, offset)))
    done = _done(kinds.REVIEW_DUE, ReviewAssignment, [(a.pk, occ) for a, occ in due])
    for assignment, occ in due:
        if (assignment.pk, occ) not in done:
            yield events.review_due(assignment, days=days_left(assignment.due_at, now), occasion=occ)


def overdue_reviews(now: datetime) -> Iterable[events.Event]:
    """The coordinator, once per due date, when a review is still open after it (a new due date set
    later makes a new occasion)."""
    overdue = [
        (assignment, f"overdue {assignment.due_at.astimezone(UTC):%Y-%m-%dT%H:%MZ}")
        for assignment in _open_assignments().filter(due_at__lte=now).order_by("due_at", "pk")
    ]
    done = _done(kinds.REVIEW_OVERDUE, ReviewAssignment, [(a.pk, occ) for a, occ in overdue])
    for assignment, occ in overdue:
        if (assignment.pk, occ) not in done:
            yield events.review_overdue(assignment, occasion=occ)


EVENT_REMINDER_AHEAD = timedelta(days=1)


def event_reminders(now: datetime) -> Iterable[events.Event]:
    """Everyone confirmed, the day before an event starts; once per start (moving the event makes a new
    occasion). Two queries for any number of events and people."""
    registrations = list(
        Registration.objects.filter(
            state=RegistrationState.CONFIRMED,
            event__state__in=EventState.UPCOMING,
            event__starts_at__gt=now,
            event__starts_at__lte=now + EVENT_REMINDER_AHEAD,
        )
        .select_related("event", "person")
        .order_by("event__starts_at", "pk")
    )
    due = [(r, f"starts {r.event.starts_at.astimezone(UTC):%Y-%m-%dT%H:%MZ} -1d") for r in registrations]
    done = _done(kinds.EVENT_REMINDER, Registration, [(r.pk, occ) for r, occ in due])
    for registration, occ in due:
        if (registration.pk, occ) not in done:
            yield event_notices.event_reminder(registration, occasion=occ)


SOURCES: list[Callable[[datetime], Iterable[events.Event]]] = [
    call_deadlines,
    review_due_dates,
    overdue_reviews,
    event_reminders,
]
