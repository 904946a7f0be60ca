"""End to end through gunicorn on a mixed workload of every role, against what PostgreSQL does with the
same SQL (the pgbench floor), in the same run. Imported after `django.setup()`.

The mix: several people of each role, each request a (person, path) pair, with weights for how often a
role does what on an ordinary day (teams half the traffic, the office 30 %, reviewers 20 %). wrk cycles
through the mix, shuffled with a fixed seed; pgbench runs the SQL each pair ran in-process (its SELECTs,
authentication included) as one transaction script per pair with the same weights.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.run import token_for
from grants_office.members.models import Municipality, TeamMembership
from grants_office.members.roles import OFFICE_STAFF
from workflows.review.models import ReviewAssignment
from workflows.selectors import proposals_visible_to
from workflows.states import AssignmentState

SEED = 20261202
CONNECTIONS, THREADS, SECONDS = 8, 2, 15


def _office(n):
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(groups__name=OFFICE_STAFF).order_by("pk")[:n])


def _teams(n):
    """A member of each of the n municipalities with the most proposals."""
    busiest = Municipality.objects.annotate(n=Count("proposals")).order_by("-n", "pk")[:n]
    people = []
    for municipality in busiest:
        membership = (
            TeamMembership.objects.filter(municipality=municipality).select_related("user").order_by("pk")
        )
        if membership.exists():
            people.append(membership.first().user)
    return people


def _reviewers(n):
    from django.contrib.auth import get_user_model

    ids = (
        ReviewAssignment.objects.filter(state__in=AssignmentState.FULL_ACCESS)
        .values("reviewer")
        .annotate(n=Count("id"))
        .order_by("-n", "reviewer")
        .values_list("reviewer", flat=True)[:n]
    )
    return list(get_user_model().objects.filter(pk__in=list(ids)).order_by("pk"))


def _some_visible(person, n):
    return list(proposals_visible_to(person).order_by("pk").values_list("pk", flat=True)[:n])


def mix() -> tuple[list[tuple[object, str, int]], dict[int, str]]:
    """(person, path, weight): the day's requests of 2 office coordinators, 8 team members and 4
    reviewers; and each person's role."""
    entries, roles = [], {}
    for person in _office(2):
        roles[person.pk] = "office"
        some = _some_visible(person, 2)
        entries += [
            (person, "/api/v1/proposals/", 6),
            (person, "/api/v1/proposals/?ordering=title", 2),
            (person, "/api/v1/proposals/?ordering=-requested_amount", 1),
            (person, "/api/v1/proposals/?page=40", 1),
            (person, "/api/v1/proposals/?state=submitted", 2),
            (person, "/api/v1/proposals/?search=enerji", 2),
            (person, "/api/v1/review-assignments/", 2),
            (person, "/api/v1/notifications/", 2),
            (person, "/api/v1/calls/?open=true", 1),
            *[(person, f"/api/v1/proposals/{pk}/", 3) for pk in some],
            *[(person, f"/api/v1/proposals/{pk}/history/", 1) for pk in some],
        ]
    for person in _teams(8):
        roles[person.pk] = "team"
        some = _some_visible(person, 2)
        entries += [
            (person, "/api/v1/proposals/", 3),
            (person, "/api/v1/proposals/?search=su", 1),
            (person, "/api/v1/calls/?open=true", 2),
            (person, "/api/v1/notifications/", 2),
            (person, "/api/v1/municipalities/", 1),
            *[(person, f"/api/v1/proposals/{pk}/", 2) for pk in some],
            *[(person, f"/api/v1/proposals/{pk}/transitions/", 1) for pk in some[:1]],
        ]
    for person in _reviewers(4):
        roles[person.pk] = "reviewer"
        some = _some_visible(person, 2)
        entries += [
            (person, "/api/v1/review-assignments/", 4),
            (person, "/api/v1/proposals/", 2),
            (person, "/api/v1/notifications/", 1),
            *[(person, f"/api/v1/proposals/{pk}/", 3) for pk in some],
        ]
    return _weighted(entries, roles), roles


# The share of the day's requests each role makes.
SHARES = {"team": 0.5, "office": 0.3, "reviewer": 0.2}


def _weighted(entries, roles):
    """Weights scaled so each role makes its share of the requests, however many people it has."""
    totals = Counter()
    for person, _path, weight in entries:
        totals[roles[person.pk]] += weight
    return [
        (person, path, max(1, round(1000 * SHARES[roles[person.pk]] * weight / totals[roles[person.pk]])))
        for person, path, weight in entries
    ]


def _shares(entries, roles) -> str:
    weights = Counter()
    for person, _path, weight in entries:
        weights[roles[person.pk]] += weight
    total = sum(weights.values())
    return ", ".join(f"{role} {100 * n / total:.0f} %" for role, n in sorted(weights.items()))


def _sql_scripts(entries, tokens, folder: Path) -> list[str]:
    """One pgbench script per (person, path): the SELECTs the request ran in-process, in order."""
    client, arguments = Client(), []
    for index, (person, path, weight) in enumerate(entries):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, HTTP_AUTHORIZATION=f"Token {tokens[person.pk]}")
        if response.status_code != 200:
            raise SystemExit(f"load mix: {path} answered {response.status_code} for {person}")
        lines = [
            " ".join(q["sql"].split()) + ";"
            for q in ctx.captured_queries
            if q["sql"].lstrip().upper().startswith("SELECT")
        ]
        script = folder / f"request-{index}.sql"
        script.write_text("\n".join(lines) + "\n")
        arguments.append(f"{script}@{weight}")
    return arguments


def _pgbench(url: str, scripts: list[str]) -> float:
    parsed = urlparse(url)
    output = subprocess.run(
        [
            "pgbench",
            *["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)],
            *["-U", parsed.username or "postgres", "-n", "-M", "simple"],
            *["-c", str(CONNECTIONS), "-j", str(THREADS), "-T", str(SECONDS)],
            *[argument for script in scripts for argument in ("-f", script)],
            parsed.path.lstrip("/"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(re.search(r"tps = ([\d.]+)", output).group(1))


def _wrk(port: int, sequence: list[tuple[str, str]]) -> dict:
    script = "\n".join(
        [
            "local calls = {" + ",".join(f'{{"Token {t}", "{p}"}}' for t, p in sequence) + "}",
            "local i = 0",
            "request = function()",
            "  i = i + 1",
            "  local call = calls[(i % #calls) + 1]",
            "  wrk.headers['Authorization'] = call[1]",
            "  return wrk.format('GET', call[2])",
            "end",
        ]
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    output = subprocess.run(
        [
            *["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-s", handle.name],
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(handle.name)

    def line(prefix):
        return next(row.split()[1] for row in output.splitlines() if row.strip().startswith(prefix))

    non2xx = [row.strip() for row in output.splitlines() if "Non-2xx" in row]
    return {
        "rps": float(line("Requests/sec")),
        "p50": line("50%"),
        "p90": line("90%"),
        "p99": line("99%"),
        "errors": non2xx[0] if non2xx else "",
    }


def _serve(url: str):
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
        SECURE_SSL_REDIRECT="false",
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
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, port


def load_test(url: str) -> str:
    """gunicorn (2 workers) under wrk, then pgbench on the same SQL: requests/s against the floor."""
    if not shutil.which("wrk") or not shutil.which("pgbench"):
        return (
            "Load test skipped: it needs `wrk` and `pgbench` (`apt-get install -y wrk postgresql-contrib`)."
        )
    entries, roles = mix()
    people = {person.pk: person for person, _path, _weight in entries}
    tokens = {pk: token_for(person) for pk, person in people.items()}
    sequence = [(tokens[p.pk], path) for p, path, weight in entries for _ in range(weight)]
    random.Random(SEED).shuffle(sequence)
    with tempfile.TemporaryDirectory() as folder:
        scripts = _sql_scripts(entries, tokens, Path(folder))
        connection.close()  # pgbench and the workers get the machine to themselves
        floor = _pgbench(url, scripts)
    server, port = _serve(url)
    try:
        _wrk(port, sequence[:50])  # the workers' first requests: imports, connections
        measured = _wrk(port, sequence)
    finally:
        server.terminate()
        server.wait(10)
    share = 100 * measured["rps"] / floor
    return (
        f"End to end through gunicorn (2 workers) on loopback, wrk {THREADS} threads × {CONNECTIONS} "
        f"connections for {SECONDS} s, {len(entries)} requests of {len(people)} people in the mix "
        f"({_shares(entries, roles)} of the requests; proposal lists in several orderings and pages, "
        "search, details, history, transitions, calls, municipalities, assignments, inboxes): "
        f"**{measured['rps']:.1f} requests/s**, latency p50 {measured['p50']}, p90 {measured['p90']}, "
        f"p99 {measured['p99']}. pgbench on the same SQL (each request's SELECTs as one script, the same "
        f"weights, {CONNECTIONS} connections, simple protocol): **{floor:.1f} requests/s**; the service "
        f"reaches **{share:.0f} %** of that floor (target ≥ 40 %)."
        + (f" {measured['errors']}" if measured["errors"] else "")
    )
