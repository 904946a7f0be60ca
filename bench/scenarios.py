"""The requests `make bench` measures, each as one role sees it."""

from __future__ import annotations

from bench.run import Result, measure, token_for


def _people():
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from grants_office.members.models import TeamMembership
    from grants_office.members.roles import OFFICE_STAFF

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
    from django.contrib.auth import get_user_model

    from grants_office.calls.models import Call
    from grants_office.members.models import Municipality
    from workflows.models import Proposal

    return (
        f"{Municipality.objects.count():,} municipalities, {get_user_model().objects.count():,} users, "
        f"{Call.objects.count():,} calls, {Proposal.objects.count():,} proposals"
    )


def run_all() -> list[Result]:
    from django.test import Client

    from workflows.models import Proposal, State

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


# Further scenarios register here: callables (client, people, tokens) -> list[Result].
EXTRA: list = []


def load_test(url: str) -> str | None:
    """Requests per second and p95 for a mixed read workload through gunicorn on loopback, with wrk."""
    import os
    import shutil
    import socket
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    if not shutil.which("wrk"):
        return "Load test skipped: `wrk` is not installed (`apt-get install -y wrk`)."
    people = _people()
    token = token_for(people["team"])
    office_token = token_for(people["office"])
    from workflows.models import Proposal

    ids = list(Proposal.objects.order_by("pk").values_list("pk", flat=True)[:50])
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
        paths = ["/api/v1/proposals/", "/api/v1/calls/?open=true", "/api/v1/proposals/?search=su"]
        paths += [f"/api/v1/proposals/{pk}/" for pk in ids[:10]]
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
        "a mixed read workload (proposal lists, search, open calls, details; team and office tokens): "
        f"**{rps} requests/s**, latency p50 {p50}, p90 {p90}, p99 {p99} (wrk reports 50/75/90/99 "
        "percentiles; p95 lies between p90 and p99)." + (f" {non2xx[0].strip()}" if non2xx else "")
    )
