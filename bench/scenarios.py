"""The requests `make bench` measures, each as one role makes it: every list at page 1 in every ordering
it advertises, deep and last pages, 10/25/100 rows a page, details, reports, the heavier transitions and
the reminder scan. Imported after `django.setup()` (`bench/__main__.py`), so the product's modules are
imported here at the top."""

from __future__ import annotations

import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Min
from django.test.utils import CaptureQueriesContext

from bench.report_scenarios import report_cases
from bench.run import Case, Result, requests_needed, token_for
from documents.models import DocumentVersion
from events.models import Event
from grants_office.calls.models import Call
from grants_office.core import keyset
from grants_office.members.models import Municipality, TeamMembership
from grants_office.members.roles import OFFICE_STAFF
from notifications.models import Notification
from notifications.services import scan_reminders
from privacy import services as privacy_services
from privacy.erasure.holds import holds
from workflows import lifecycle, selectors
from workflows.models import Proposal
from workflows.review.models import ReviewAssignment, ReviewRound
from workflows.states import AssignmentState, State

PROPOSALS = "/api/v1/proposals/"
TRANSITION_SAMPLES = 10


def _middle_page(size: int) -> int:
    """Half way into the office's list (page 2,000 of 25 rows at national scale)."""
    return max(1, Proposal.objects.alive().count() // size // 2)


def people() -> dict:
    """office: the first office coordinator (sees every proposal); team: the member of the municipality
    with the most proposals; reviewer: the expert who sees the most proposals through assignments past
    the declaration; inbox: the person with the most notifications."""
    User = get_user_model()
    office = User.objects.filter(groups__name=OFFICE_STAFF).order_by("pk").first()
    busiest = (
        TeamMembership.objects.filter(municipality__isnull=False)
        .annotate(n=Count("municipality__proposals"))
        .order_by("-n", "pk")
        .select_related("user")
        .first()
    )
    found = {"office": office, "team": busiest.user}
    row = (
        ReviewAssignment.objects.filter(state__in=AssignmentState.FULL_ACCESS)
        .values("reviewer")
        .annotate(n=Count("round__proposal", distinct=True))
        .order_by("-n", "reviewer")
        .first()
    )
    if row:
        found["reviewer"] = User.objects.get(pk=row["reviewer"])
    row = Notification.objects.values("recipient").annotate(n=Count("id")).order_by("-n").first()
    if row:
        found["inbox"] = User.objects.get(pk=row["recipient"])
    return found


def describe() -> str:
    return (
        f"{Municipality.objects.count():,} municipalities, {get_user_model().objects.count():,} users, "
        f"{Call.objects.count():,} calls, {Proposal.objects.count():,} proposals, "
        f"{DocumentVersion.objects.count():,} document versions, "
        f"{ReviewAssignment.objects.count():,} review assignments, "
        f"{Notification.objects.count():,} notifications"
    )


def _cursor_at(office, key: str, offset: int) -> str:
    """The cursor a client holds after reading `offset` rows of the office's list in that order."""
    rows = selectors.sorted_proposals(selectors.proposals_visible_to(office), [key])
    keys = keyset.keys_of(rows)
    return keyset.encode(keys, keyset.annotated(rows, keys)[offset - 1], backwards=False)


def list_cases(roles) -> list[Case]:
    """The proposal list: every ordering for every role at page 1 (the office also descending, at page
    2,000 and on the last page), the last page of the others, 10/25/100 rows, filters and search."""
    some = Proposal.objects.filter(state=State.DRAFTING).order_by("pk").first()
    cases = []
    for role in [r for r in ("office", "team", "reviewer") if r in roles]:
        for size in (10, 25, 100):
            cases.append(Case(f"proposals, {role}, {size} a page", role, f"{PROPOSALS}?page_size={size}"))
        for key in selectors.PROPOSAL_SORTS:
            cases.append(Case(f"proposals, {role}, by {key}", role, f"{PROPOSALS}?ordering={key}"))
        filtered = (
            f"state=drafting&programme={some.call.programme_id}" if role == "office" else "state=rejected"
        )
        cases += [
            Case(f"proposals, {role}, filtered", role, f"{PROPOSALS}?{filtered}"),
            Case(
                f"proposals, {role}, search",
                role,
                f"{PROPOSALS}?search={'enerji' if role == 'office' else 'su'}",
            ),
        ]
        if role != "office":
            cases.append(Case(f"proposals, {role}, last page", role, f"{PROPOSALS}?page=last"))
    if "office" in roles:
        deep, deep_100 = _middle_page(25), _middle_page(100)
        for key in selectors.PROPOSAL_SORTS:
            cursor = _cursor_at(roles["office"], key, deep * 25)
            cases += [
                Case(f"proposals, office, by -{key}", "office", f"{PROPOSALS}?ordering=-{key}"),
                Case(
                    f"proposals, office, by {key}, by cursor from row {deep * 25:,}",
                    "office",
                    f"{PROPOSALS}?ordering={key}&cursor={cursor}",
                ),
                Case(
                    f"proposals, office, by {key}, page {deep:,}",
                    "office",
                    f"{PROPOSALS}?ordering={key}&page={deep}",
                ),
                Case(
                    f"proposals, office, by {key}, last page",
                    "office",
                    f"{PROPOSALS}?ordering={key}&page=last",
                ),
            ]
        cases += [
            Case(f"proposals, office, page {deep:,}", "office", f"{PROPOSALS}?page={deep}"),
            Case("proposals, office, last page", "office", f"{PROPOSALS}?page=last"),
            Case(
                f"proposals, office, page {deep_100:,} at 100 a page",
                "office",
                f"{PROPOSALS}?page={deep_100}&page_size=100",
            ),
        ]
    return cases


def other_list_cases(roles) -> list[Case]:
    cases = [
        Case("calls, open", "office", "/api/v1/calls/?open=true"),
        Case("calls", "team", "/api/v1/calls/"),
        *[
            Case(f"calls, by {key}", "team", f"/api/v1/calls/?ordering={key}")
            for key in ("deadline", "opens_on", "reference")
        ],
        Case("calls, last page", "team", "/api/v1/calls/?page=last"),
        Case("calls, 100 a page", "team", "/api/v1/calls/?page_size=100"),
        Case("municipalities", "team", "/api/v1/municipalities/"),
        *[
            Case(f"municipalities, by {key}", "team", f"/api/v1/municipalities/?ordering={key}")
            for key in ("name", "province", "population", "membership_date")
        ],
        Case("municipalities, 100 a page", "team", "/api/v1/municipalities/?page_size=100"),
        Case("organisations, by country", "team", "/api/v1/organisations/?ordering=country"),
        Case("review assignments, office", "office", "/api/v1/review-assignments/"),
        Case("review assignments, office, last page", "office", "/api/v1/review-assignments/?page=last"),
    ]
    if "reviewer" in roles:
        cases.append(Case("review assignments, reviewer", "reviewer", "/api/v1/review-assignments/"))
    open_round = ReviewRound.objects.open().order_by("pk").first()
    if open_round is not None:
        cases.append(
            Case(
                "review suggestions for a round",
                "office",
                f"/api/v1/review-rounds/{open_round.pk}/suggestions/",
            )
        )
    if "inbox" in roles:
        cases += [
            Case("notification inbox, busiest", "inbox", "/api/v1/notifications/"),
            Case("notification inbox, busiest, unread", "inbox", "/api/v1/notifications/?unread=true"),
            Case("notification inbox, busiest, 100 a page", "inbox", "/api/v1/notifications/?page_size=100"),
            Case("notification inbox, busiest, last page", "inbox", "/api/v1/notifications/?page=last"),
        ]
    cases.append(Case("notification inbox, team member", "team", "/api/v1/notifications/"))
    return cases


def event_cases(roles) -> list[Case]:
    """Capacity building (issue 15): the events list in its orderings, registrations, certificates, a
    member's capacity figures."""
    event = Event.objects.filter(registrations__isnull=False).order_by("-starts_at").first()
    if event is None:
        return []
    team = roles["team"]
    municipality = TeamMembership.objects.filter(user=team, municipality__isnull=False).values_list(
        "municipality", flat=True
    )[0]
    cases = [
        Case("events, office", "office", "/api/v1/events/"),
        *[
            Case(f"events, office, by {key}", "office", f"/api/v1/events/?ordering={key}")
            for key in ("-starts_at", "title")
        ],
        Case("events, office, last page", "office", "/api/v1/events/?page=last"),
        Case("events, office, upcoming", "office", "/api/v1/events/?upcoming=true"),
        Case("events, team", "team", "/api/v1/events/"),
        Case("events, team, registered", "team", "/api/v1/events/?registered=true"),
        Case("event's registrations, office", "office", f"/api/v1/events/{event.pk}/registrations/"),
        Case("certificates, office", "office", "/api/v1/certificates/"),
        Case("certificates, office, last page", "office", "/api/v1/certificates/?page=last"),
        Case("certificates, team", "team", "/api/v1/certificates/"),
        Case("member capacity", "team", f"/api/v1/municipalities/{municipality}/capacity/"),
    ]
    return cases


def detail_cases() -> list[Case]:
    some = Proposal.objects.filter(state=State.DRAFTING).order_by("pk").first()
    return [
        Case("proposal detail", "office", f"{PROPOSALS}{some.pk}/"),
        Case("available transitions", "office", f"{PROPOSALS}{some.pk}/transitions/", raw=False),
        Case("proposal history", "office", f"{PROPOSALS}{some.pk}/history/"),
    ]


# The transitions measured, heaviest last: the state they start from and what the step asks for.
TRANSITIONS = [
    ("start_consultation", State.IDEA, {"comment": "bench"}),
    ("mark_ready", State.DRAFTING, {"comment": "bench"}),
    ("submit", State.READY, {"funder_reference": "BENCH-1", "submitted_at": "2026-01-15T10:00:00Z"}),
    ("award", State.SUBMITTED, {"awarded_amount": "125000.00", "decided_on": "2026-02-01"}),
]


def transition_cases(office) -> list[Case]:
    """Each transition on `needed` different proposals where the office may take it now (the data stay
    as generated for every run: the run's copy of the snapshot is dropped afterwards)."""
    cases = []
    needed = requests_needed(Case("", "office", samples=TRANSITION_SAMPLES))
    for name, source, data in TRANSITIONS:
        candidates = []
        for proposal in (
            selectors.proposals_visible_to(office).filter(state=source).order_by("pk")[: needed * 4]
        ):
            if any(o.name == name and o.allowed for o in lifecycle.available(proposal, office)):
                candidates.append(proposal.pk)
            if len(candidates) == needed:
                break
        if len(candidates) < needed:
            print(f"  {name}: only {len(candidates)} proposals may take it; left out", flush=True)
            continue
        pks = iter(candidates)

        def prepare(pks=pks, name=name, data=data):
            return f"{PROPOSALS}{next(pks)}/transitions/{name}/", data

        cases.append(
            Case(
                f"transition {name}",
                "office",
                method="post",
                prepare=prepare,
                raw=False,
                samples=TRANSITION_SAMPLES,
            )
        )
    return cases


def tokens_for(found: dict) -> dict[str, str]:
    return {role: token_for(user) for role, user in found.items()}


def reminder_scan() -> list[Result]:
    """`scan_reminders` once at a moment when many deadlines fall inside the offsets, then again (it
    must find everything done), then 15 minutes later (the beat period). Each batch commits as in
    production, its deferred foreign-key checks included; the run's copy is dropped afterwards. The
    moment comes from the data, not the clock: four days after the earliest due date of an open review
    round."""
    earliest = ReviewRound.objects.open().aggregate(at=Min("due_at"))["at"]
    if earliest is None:
        return []
    moment = earliest + timedelta(days=4)
    results = []
    runs = [
        ("first run", moment),
        ("second run", moment),
        ("15 min later", moment + timedelta(minutes=15)),
    ]
    for label, at in runs:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            made = scan_reminders(at)
            elapsed = (time.perf_counter() - started) * 1000
        results.append(
            Result(f"reminder scan, {label} ({made:,} reminders)", elapsed, [elapsed], [elapsed], len(ctx))
        )
    return results


def read_cases(roles) -> list[Case]:
    return [
        *list_cases(roles),
        *other_list_cases(roles),
        *event_cases(roles),
        *detail_cases(),
        *report_cases(),
    ]


def _erasable(limit: int = 200):
    """The team member with the most comments whom nothing holds back (no open proposal they lead,
    no award kept, no review pending)."""
    members = (
        TeamMembership.objects.filter(role=TeamMembership.Role.MEMBER, user__groups__isnull=True)
        .annotate(n=Count("user__team_memberships"))
        .select_related("user")
        .order_by("pk")[:limit]
    )
    for membership in members:
        if not holds(membership.user):
            return membership.user
    return None


def erasure_runs() -> list[Result]:
    """Erasing one person: the dry run (everything, rolled back), then the erasure itself, on the run's
    copy. Every text column of every table is searched for the person's names."""
    person = _erasable()
    if person is None:
        print("  erasure: nobody can be erased in this data; left out", flush=True)
        return []
    results = []
    for label, dry_run in (("dry run", True), ("erasure", False)):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            erasure = privacy_services.erase_person(None, person, "bench", dry_run=dry_run)
            elapsed = (time.perf_counter() - started) * 1000
        rows = sum(erasure.counts.values())
        results.append(Result(f"erase a team member, {label}", elapsed, [elapsed], [elapsed], len(ctx), rows))
    return results


def retention_runs() -> list[Result]:
    """The nightly retention job on the generated years of data: the dry run (counts only), the first
    run (destroys what is due, in batches) and the next night's (nothing left)."""
    results = []
    for label, dry_run in (("dry run", True), ("first run", False), ("next run", False)):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            run = privacy_services.apply_retention(dry_run=dry_run)
            elapsed = (time.perf_counter() - started) * 1000
        results.append(
            Result(
                f"retention job, {label} ({run.rows:,} rows)",
                elapsed,
                [elapsed],
                [elapsed],
                len(ctx),
                run.rows,
            )
        )
    return results
