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
from django.db import connection

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
    """Which (object id, occasion) already have a notification of this kind.

    On PostgreSQL each pair is asked whether one row exists (the unique key's index, one entry a pair);
    every id against every occasion read each recipient's row of past occasions too: 0.3 s of a
    regular national scan (issue 18). Elsewhere the same question as one filter."""
    if not pairs:
        return set()
    content_type = ContentType.objects.get_for_model(model)
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Notification._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT due.object_id, due.occasion"
                " FROM unnest(%s::bigint[], %s::text[]) AS due(object_id, occasion)"
                f" WHERE EXISTS (SELECT 1 FROM {table} n WHERE n.kind = %s AND n.content_type_id = %s"
                " AND n.object_id = due.object_id AND n.occasion = due.occasion)",
                [[pk for pk, _ in pairs], [occ for _, occ in pairs], kind, content_type.pk],
            )
            return set(cursor.fetchall())
    return set(
        Notification.objects.filter(
            kind=kind,
            content_type=content_type,
            object_id__in={pk for pk, _ in pairs},
            occasion__in={occ for _, occ in pairs},
        )
        .order_by()
        .values_list("object_id", "occasion")
        .distinct()
    )


def _due(rows, now: datetime, days: list[int]) -> dict[int, tuple[datetime, str]]:
    """{pk: (moment, occasion)} for the (pk, moment) rows whose nearest offset has come."""
    due = {}
    for pk, moment in rows:
        offset = due_offset(moment, now, days)
        if offset is not None:
            due[pk] = (moment, occasion(moment, offset))
    return due


def _not_done(kind: str, model, due: dict[int, tuple[datetime, str]]) -> dict[int, tuple[datetime, str]]:
    done = _done(kind, model, [(pk, occ) for pk, (_, occ) in due.items()])
    return {pk: value for pk, value in due.items() if (pk, value[1]) not in done}


def call_deadlines(now: datetime) -> Iterable[events.Event]:
    days = offsets()
    if not days:
        return
    # The deadline that applies to each proposal (stage-2 teams count down to the stage-2 deadline),
    # read from the call itself: the row's sorted copy is for the list's order only. Ids and deadlines
    # first: a regular scan finds nearly every occasion done and loads no proposal (issue 18).
    preparing = (
        Proposal.objects.alive()
        .with_deadline()
        .filter(state__in=State.BEFORE_SUBMISSION)  # a deadline concerns what is still prepared
    )
    window = (
        preparing.filter(
            applicable_deadline__gt=now, applicable_deadline__lte=now + timedelta(days=max(days))
        )
        .order_by()
        .values_list("pk", "applicable_deadline")
    )
    due = _not_done(kinds.CALL_DEADLINE, Proposal, _due(window, now, days))
    proposals = list(
        preparing.filter(pk__in=selectors.id_list(list(due)))
        .select_related("call", "lead", "coordinator")
        .order_by("applicable_deadline", "pk")
    )
    teams = selectors.proposal_teams(proposals)  # every team in two queries
    for proposal in proposals:
        deadline, occ = due[proposal.pk]
        yield events.call_deadline(
            proposal, days=days_left(deadline, now), occasion=occ, team=teams[proposal.pk]
        )


def _open_assignments():
    return ReviewAssignment.objects.filter(
        state__in=AssignmentState.AWAITING,
        round__closed_at__isnull=True,
        round__proposal__deleted_at__isnull=True,
    ).select_related("reviewer", "round__proposal__coordinator", "round__proposal__lead")


def _assignments(due: dict[int, tuple[datetime, str]]):
    return _open_assignments().filter(pk__in=selectors.id_list(list(due))).order_by("due_at", "pk")


def review_due_dates(now: datetime) -> Iterable[events.Event]:
    """The reviewer, some days before the review is due (setting NOTIFICATIONS_REVIEW_OFFSETS)."""
    days = offsets("NOTIFICATIONS_REVIEW_OFFSETS")
    if not days:
        return
    window = (
        _open_assignments()
        .filter(due_at__gt=now, due_at__lte=now + timedelta(days=max(days)))
        .order_by()
        .values_list("pk", "due_at")
    )
    due = _not_done(kinds.REVIEW_DUE, ReviewAssignment, _due(window, now, days))
    for assignment in _assignments(due):
        _, occ = due[assignment.pk]
        yield events.review_due(assignment, days=days_left(assignment.due_at, now), occasion=occ)


def overdue_reviews(now: datetime) -> Iterable[events.Event]:
    """The coordinator, once per due date, when a review is still open after it (a new due date set
    later makes a new occasion)."""
    window = _open_assignments().filter(due_at__lte=now).order_by().values_list("pk", "due_at")
    overdue = {pk: (due_at, f"overdue {due_at.astimezone(UTC):%Y-%m-%dT%H:%MZ}") for pk, due_at in window}
    due = _not_done(kinds.REVIEW_OVERDUE, ReviewAssignment, overdue)
    for assignment in _assignments(due):
        yield events.review_overdue(assignment, occasion=due[assignment.pk][1])


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
