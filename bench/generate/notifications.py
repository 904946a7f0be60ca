"""`scale.notifications` inbox rows: the office and experts hear more than a team member; most older ones
are read, a good share of the last month's is not; every row has its own occasion."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType

from bench.generate.bulk import copy_rows
from notifications.models import Notification
from workflows.models import Proposal
from workflows.review.models import ReviewAssignment

if TYPE_CHECKING:
    from bench.generate.driver import Generator

TEAM_KINDS = [
    ("proposal_transitioned", "Proposal P{p} moved on"),
    ("document_version_created", "New version of a document of P{p}"),
    ("call_deadline_approaching", "The call deadline of P{p} is near"),
    ("comment_shared", "New comment on P{p}"),
]
OFFICE_KINDS = [
    *TEAM_KINDS,
    ("review_submitted", "A review of P{p} is in"),
    ("review_overdue", "A review of P{p} is overdue"),
    ("proposal_created", "New idea P{p}"),
]
EXPERT_KINDS = [
    ("review_assigned", "You are invited to review P{p}"),
    ("review_due_approaching", "Your review of P{p} is due soon"),
]
# Kinds about an assignment (the rest are about a proposal).
ASSIGNMENT_KINDS = ("review_assigned", "review_due_approaching", "review_submitted", "review_overdue")
HORIZON = 3 * 365 * 24 * 60  # minutes


def notifications(gen: Generator) -> int:
    # Asked before the COPY starts: while it streams, the connection takes no other query.
    proposal_type = ContentType.objects.get_for_model(Proposal).pk
    assignment_type = ContentType.objects.get_for_model(ReviewAssignment).pk
    return copy_rows(
        Notification,
        [
            "recipient",
            "kind",
            "content_type",
            "object_id",
            "occasion",
            "actor",
            "title",
            "body",
            "link",
            "language",
            "created_at",
            "read_at",
            "via_digest",
            "email_status",
            "email_attempts",
            "email_sent_at",
            "email_error",
        ],
        _rows(gen, proposal_type, assignment_type),
    )


def _rows(gen: Generator, proposal_type: int, assignment_type: int):
    """The rows, one at a time: pure Python, no query (the COPY they feed holds the connection)."""
    rng = gen.rng
    office = [u.pk for u in gen.office]
    experts = [p.user_id for p in gen.expert_profiles]
    teams = [u.pk for users in gen.team_of_municipality.values() for u in users]
    proposal_ids = [p.pk for p in gen.proposals]
    first_assignment, n_assignments = gen.first_assignment, max(1, gen.n_assignments)
    for i in range(gen.scale.notifications):
        roll = rng.random()
        if roll < 0.2:
            recipient, kinds = rng.choice(office), OFFICE_KINDS
        elif roll < 0.35:
            recipient, kinds = rng.choice(experts), EXPERT_KINDS
        else:
            recipient, kinds = rng.choice(teams), TEAM_KINDS
        kind, title = rng.choice(kinds)
        proposal = rng.choice(proposal_ids)
        if kind in ASSIGNMENT_KINDS:
            content_type, object_id = assignment_type, first_assignment + rng.randrange(n_assignments)
        else:
            content_type, object_id = proposal_type, proposal
        age = timedelta(minutes=int(HORIZON * rng.random() ** 2))  # more recent than old
        created = gen.now - age
        read = rng.random() < (0.97 if age > timedelta(days=30) else 0.45)
        emailed = rng.random() < 0.4
        yield (
            recipient,
            kind,
            content_type,
            object_id,
            f"bench {i}",
            None,
            title.format(p=proposal),
            "",
            f"/proposals/{proposal}/",
            "tr" if rng.random() < 0.8 else "en",
            created,
            created + timedelta(hours=rng.randint(1, 72)) if read else None,
            False,
            "sent" if emailed else "none",
            1 if emailed else 0,
            created if emailed else None,
            "",
        )
