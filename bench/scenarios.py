"""The requests `make bench` measures, each as one role sees it. Imported after `django.setup()`
(`bench/__main__.py`), so the product's modules are imported here at the top."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Min
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.report_scenarios import report_scenarios
from bench.run import Result, measure, token_for
from documents.models import DocumentVersion
from grants_office.calls.models import Call
from grants_office.members.models import Municipality, TeamMembership
from grants_office.members.roles import OFFICE_STAFF
from notifications.models import Notification
from notifications.services import scan_reminders
from workflows.models import Proposal
from workflows.review.models import ReviewAssignment, ReviewRound
from workflows.selectors import proposals_visible_to
from workflows.states import AssignmentState, State


def _people():
    User = get_user_model()
    office = User.objects.filter(groups__name=OFFICE_STAFF).order_by("pk").first()
    busiest = (
        TeamMembership.objects.filter(municipality__isnull=False)
        .annotate(n=Count("municipality__proposals"))
        .order_by("-n", "pk")
        .select_related("user")
        .first()
    )
    return {"office": office, "team": busiest.user}


def describe() -> str:
    return (
        f"{Municipality.objects.count():,} municipalities, {get_user_model().objects.count():,} users, "
        f"{Call.objects.count():,} calls, {Proposal.objects.count():,} proposals, "
        f"{DocumentVersion.objects.count():,} document versions, "
        f"{ReviewAssignment.objects.count():,} review assignments, "
        f"{Notification.objects.count():,} notifications"
    )


def run_all() -> list[Result]:
    people = _people()
    tokens = {role: token_for(user) for role, user in people.items()}
    client = Client()
    results = []
    some = Proposal.objects.filter(state=State.DRAFTING).order_by("pk").first()
    programme = some.call.programme_id
    lists = [
        ("proposal list, office", "office", "/api/v1/proposals/"),
        (
            "proposal list, office, filtered",
            "office",
            f"/api/v1/proposals/?state=drafting&programme={programme}",
        ),
        ("proposal list, office, search", "office", "/api/v1/proposals/?search=enerji"),
        ("proposal list, team member", "team", "/api/v1/proposals/"),
        ("proposal list, team member, filtered", "team", "/api/v1/proposals/?state=rejected"),
        ("proposal list, team member, search", "team", "/api/v1/proposals/?search=su"),
        ("calls list (open)", "office", "/api/v1/calls/?open=true"),
        ("calls list", "team", "/api/v1/calls/"),
        ("municipalities list", "team", "/api/v1/municipalities/"),
    ]
    for name, role, url in lists:
        results.append(measure(name, client, "get", url, tokens[role]))
    results.append(
        measure("proposal detail", client, "get", f"/api/v1/proposals/{some.pk}/", tokens["office"])
    )
    results.append(
        measure(
            "available transitions",
            client,
            "get",
            f"/api/v1/proposals/{some.pk}/transitions/",
            tokens["office"],
            raw=False,
        )
    )
    results.append(
        measure("proposal history", client, "get", f"/api/v1/proposals/{some.pk}/history/", tokens["office"])
    )
    ideas = iter(Proposal.objects.filter(state=State.IDEA).order_by("pk").values_list("pk", flat=True)[:200])

    def next_idea():
        return (f"/api/v1/proposals/{next(ideas)}/transitions/start_consultation/", {"comment": "bench"})

    results.append(
        measure("perform a transition", client, "post", None, tokens["office"], raw=False, prepare=next_idea)
    )
    for extra in EXTRA:
        results.extend(extra(client, people, tokens))
    return results


def _reviewer():
    """The expert who sees the most proposals through their review assignments (past the declaration)."""
    row = (
        ReviewAssignment.objects.filter(state__in=AssignmentState.FULL_ACCESS)
        .values("reviewer")
        .annotate(n=Count("round__proposal", distinct=True))
        .order_by("-n", "reviewer")
        .first()
    )
    return get_user_model().objects.get(pk=row["reviewer"]) if row else None


def review_scenarios(client, people, tokens) -> list[Result]:
    """The proposal list as a reviewer, a reviewer's assignments, and reviewer suggestions for a round."""
    reviewer = _reviewer()
    if reviewer is None:
        return []
    people["reviewer"] = reviewer
    tokens["reviewer"] = token_for(reviewer)
    results = [
        measure(name, client, "get", url, tokens[role])
        for name, role, url in [
            ("proposal list, reviewer", "reviewer", "/api/v1/proposals/"),
            ("proposal list, reviewer, filtered", "reviewer", "/api/v1/proposals/?state=rejected"),
            ("proposal list, reviewer, search", "reviewer", "/api/v1/proposals/?search=su"),
            ("review assignments, reviewer", "reviewer", "/api/v1/review-assignments/"),
            ("review assignments, office", "office", "/api/v1/review-assignments/"),
        ]
    ]
    open_round = ReviewRound.objects.open().order_by("pk").first()
    if open_round is not None:
        results.append(
            measure(
                "review suggestions for a round",
                client,
                "get",
                f"/api/v1/review-rounds/{open_round.pk}/suggestions/",
                tokens["office"],
            )
        )
    return results


def inbox_scenarios(client, people, tokens) -> list[Result]:
    """The notification inbox of the person with the most notifications, and of a team member."""
    row = Notification.objects.values("recipient").annotate(n=Count("id")).order_by("-n").first()
    if row is None:
        return []
    busiest = get_user_model().objects.get(pk=row["recipient"])
    token = token_for(busiest)
    return [
        measure(f"notification inbox ({row['n']:,} rows)", client, "get", "/api/v1/notifications/", token),
        measure("notification inbox, unread", client, "get", "/api/v1/notifications/?unread=true", token),
        measure("notification inbox, team member", client, "get", "/api/v1/notifications/", tokens["team"]),
    ]


def reminder_scan(client, people, tokens) -> list[Result]:
    """`scan_reminders` once at a moment when many deadlines fall inside the offsets, then again (it
    must find everything done), then a day later (what a daily scan writes once the backlog is done).
    Inside a transaction rolled back afterwards: the data stay as generated.

    The moment is taken from the data, not the clock, so it means the same whenever the database was
    generated: four days after the earliest due date of an open review round (the generator spreads
    those from four days before to fourteen days after its own "now").
    """
    earliest = ReviewRound.objects.open().aggregate(at=Min("due_at"))["at"]
    if earliest is None:
        return []
    moment = earliest + timedelta(days=4)
    results = []
    with transaction.atomic():
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
            results.append(Result(f"reminder scan, {label} ({made:,} reminders)", elapsed, elapsed, len(ctx)))
        transaction.set_rollback(True)
    return results


def page_size_scenarios(client, people, tokens) -> list[Result]:
    """The same lists at 100 rows a page: the query count must not change with the page size."""
    return [
        measure(f"{name}, 100 per page", client, "get", url, tokens[role])
        for name, role, url in [
            ("proposal list, office", "office", "/api/v1/proposals/?page_size=100"),
            ("proposal list, team member", "team", "/api/v1/proposals/?page_size=100"),
            ("proposal list, reviewer", "reviewer", "/api/v1/proposals/?page_size=100"),
            ("notification inbox, office", "office", "/api/v1/notifications/?page_size=100"),
        ]
        if role in tokens
    ]


# Further scenarios register here: callables (client, people, tokens) -> list[Result].
EXTRA: list = [review_scenarios, inbox_scenarios, page_size_scenarios, report_scenarios, reminder_scan]


def load_test(url: str) -> str | None:
    """Requests per second and p95 for a mixed read workload through gunicorn on loopback, with wrk."""
    if not shutil.which("wrk"):
        return "Load test skipped: `wrk` is not installed (`apt-get install -y wrk`)."
    people = _people()
    token = token_for(people["team"])
    office_token = token_for(people["office"])

    # details both tokens may open (the office sees everything), so no request answers 404
    ids = list(proposals_visible_to(people["team"]).order_by("pk").values_list("pk", flat=True)[:10])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DEBUG="false",
        SECRET_KEY="bench-only",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="false",
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "grants_office.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        paths = [
            "/api/v1/proposals/",
            "/api/v1/calls/?open=true",
            "/api/v1/proposals/?search=su",
            "/api/v1/notifications/",
        ]
        paths += [f"/api/v1/proposals/{pk}/" for pk in ids]
        script = "\n".join(
            [
                "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}",
                f'local tokens = {{"Token {token}", "Token {office_token}"}}',
                "local i = 0",
                "request = function()",
                "  i = i + 1",
                "  wrk.headers['Authorization'] = tokens[(i % 2) + 1]",
                "  return wrk.format('GET', paths[(i % #paths) + 1])",
                "end",
            ]
        )
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(script)
        output = subprocess.run(
            ["wrk", "-t2", "-c8", "-d15s", "--latency", "-s", handle.name, f"http://127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        server.terminate()
        server.wait(10)
    rps = next(line.split()[1] for line in output.splitlines() if line.startswith("Requests/sec"))
    p50 = next(line.split()[1] for line in output.splitlines() if line.strip().startswith("50%"))
    p99 = next(line.split()[1] for line in output.splitlines() if line.strip().startswith("99%"))
    p90 = next(line.split()[1] for line in output.splitlines() if line.strip().startswith("90%"))
    non2xx = [line for line in output.splitlines() if "Non-2xx" in line]
    return (
        "End to end through gunicorn (2 workers) on loopback, wrk 2 threads × 8 connections for 15 s, "
        "a mixed read workload (proposal lists, search, open calls, inbox, details; team and office "
        "tokens): "
        f"**{rps} requests/s**, latency p50 {p50}, p90 {p90}, p99 {p99} (wrk reports 50/75/90/99 "
        "percentiles; p95 lies between p90 and p99)." + (f" {non2xx[0].strip()}" if non2xx else "")
    )
