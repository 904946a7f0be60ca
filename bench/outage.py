"""A write's latency with the broker up and with it down (issue 12).

    python -m bench.outage [--writes 40]

A fresh embedded site (SQLite under a temporary VAR_DIR) whose broker is a real Redis on its own port,
with no worker: each move of a proposal writes its outbox row and publishes the relay task. The same
moves are timed with Redis running, then after Redis was killed. Down, the first write pays one
refused connection and later writes none (the publisher backs off); the sweep relays what waited.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def measure(writes: int) -> dict[str, list[float]]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests import factories
    from workflows import services
    from workflows.models import Proposal
    from workflows.states import State

    membership = factories.TeamMembershipFactory(role="lead")
    proposal = factories.ProposalFactory(lead=membership.municipality, state=State.READY)

    def move() -> float:
        Proposal.objects.filter(pk=proposal.pk).update(state=State.READY)
        started = time.perf_counter()
        services.perform_transition(Proposal.objects.get(pk=proposal.pk), "reopen", membership.user)
        return (time.perf_counter() - started) * 1000

    timings = {"up": [], "down": []}
    move()  # warm: connections, translations
    timings["up"] = [move() for _ in range(writes)]
    os.kill(int(os.environ["BENCH_REDIS_PID"]), signal.SIGKILL)
    time.sleep(0.2)
    timings["down"] = [move() for _ in range(writes)]
    return timings


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=40)
    args = parser.parse_args(argv)
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    with tempfile.TemporaryDirectory() as var:
        env = {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
            "DEBUG": "true",
            "VAR_DIR": var,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
            "DJANGO_SETTINGS_MODULE": "grants_office.settings",
            "BENCH_REDIS_PID": str(redis.pid),
            "LOG_LEVEL": "ERROR",
        }
        code = f"import json, bench.outage as o; print(json.dumps(o.measure({args.writes})))"
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    redis.kill()
    if result.returncode:
        sys.exit(result.stderr[-3000:])
    import json

    timings = json.loads(result.stdout.strip().splitlines()[-1])
    print("| broker | writes | p50 ms | p95 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, values in timings.items():
        ordered = sorted(values)
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
        print(f"| {name} | {len(values)} | {statistics.median(values):.1f} | {p95:.1f} | {max(values):.1f} |")


if __name__ == "__main__":
    main()
