"""`make bench`: generate a scale into a PostgreSQL database if it is empty, then measure and report.

    python -m bench [--scale small] [--database-url postgres://...] [--no-write] [--rounds 5]

The snapshot comes from --database-url, else BENCH_DATABASE_URL, else a local
`grants_office_bench_<scale>`; every run measures a fresh copy of it (`bench/snapshot.py`).
"""

import argparse
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import redis  # Celery's Redis transport brings it
from django.db import connection
from django.test import Client

from bench import snapshot
from bench.generate import setup_django


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Benchmarks of the grants office")
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "small"))
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""), help="the snapshot"
    )
    parser.add_argument("--no-write", action="store_true", help="print the table, leave docs/ alone")
    parser.add_argument("--skip-load-test", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if not args.skip_load_test:
        _ensure_tools()
    os.environ.pop("REDIS_URL", None)
    # As in production: what a write leaves for the worker (notifications) goes to a broker, off the
    # request path. Nothing consumes it here; the queue is emptied before and after.
    os.environ["CELERY_BROKER_URL"] = broker = os.environ.get("BENCH_BROKER_URL", BROKER)
    _empty(broker)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    # In-process requests are plain http: measured, not redirected to https (production posture, DEBUG off).
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    original = snapshot.snapshot_url(args.scale, args.database_url)
    generated = snapshot.prepare(args.scale, original, dict(os.environ))
    url = snapshot.fresh_copy(original)
    os.environ["DATABASE_URL"] = url

    setup_django()
    # app ready: the product's models, and the modules that import them at their top
    from bench import load, scenarios
    from bench.machine import machine
    from bench.run import SAMPLES, measure_all, table
    from grants_office.core.runtime import settle

    settle()  # as the gunicorn worker does once the app is loaded (grants_office/wsgi.py)
    described = scenarios.describe()  # the snapshot's data, before the writes and the scan add to it
    found = scenarios.people()
    tokens = scenarios.tokens_for(found)
    client = Client()
    load_before = os.getloadavg()
    results = measure_all(scenarios.read_cases(found), client, tokens, rounds=args.rounds)
    load_after = os.getloadavg()
    load_text = None if args.skip_load_test else load.load_test(url)
    # writes last: they change the run's copy only, after everything else was measured on the snapshot's data
    results += measure_all(scenarios.transition_cases(found["office"]), client, tokens, rounds=args.rounds)
    results += scenarios.reminder_scan()
    results += scenarios.erasure_runs()
    results += scenarios.retention_runs()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    header = (
        f"Measured {date.today().isoformat()} on {machine()}, PostgreSQL {server}; "
        f"load average {load_before[0]:.1f} before and {load_after[0]:.1f} after the in-process reads; "
        f"scale `{args.scale}` ({described}), on a fresh copy of the snapshot; {args.rounds} "
        f"rounds of {SAMPLES} requests a case after 3 warm-ups (6 a round for the results reports, "
        "10 for the transitions)."
    )
    text = table(results, header)
    print(text)
    if load_text:
        print("\n" + load_text)
    if generated is not None:
        print(f"\nGenerated in {generated['total_seconds']:.0f} s.")
    _empty(broker)
    if not args.no_write:
        _write(args.scale, text, load_text, generated)


BROKER = "redis://127.0.0.1:6379/14"


def _empty(broker: str) -> None:
    try:
        redis.Redis.from_url(broker).flushdb()
    except redis.RedisError as error:
        sys.exit(f"The bench sends the writes' tasks to {broker}, which does not answer: {error}")


def _ensure_tools() -> None:
    """The load test needs wrk and pgbench: install them with apt-get when we may, else stop first."""
    missing = [tool for tool in ("wrk", "pgbench") if not shutil.which(tool)]
    packages = {"wrk": "wrk", "pgbench": "postgresql-contrib"}
    if missing and shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        names = [packages[tool] for tool in missing]
        print(f"Installing {', '.join(names)} for the load test", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", *names], check=False)
    still = [tool for tool in missing if not shutil.which(tool)]
    if still:
        sys.exit(
            f"The load test needs {' and '.join(still)} and it could not be installed here: run "
            "`apt-get install -y wrk postgresql-contrib` as root, or pass --skip-load-test "
            '(BENCH_ARGS="--skip-load-test").'
        )


def _write(scale, text, load, generated) -> None:
    path = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
    previous = path.read_text() if path.exists() else ""
    marker = f"<!-- scale:{scale} -->"
    section = [marker, f"## Scale `{scale}`", "", text]
    if load:
        section += ["", load]
    end_marker = f"<!-- /scale:{scale} -->"
    if generated is None and marker in previous:
        # measured again on a database generated before: keep the figures of that generation
        old = previous[previous.index(marker) : previous.index(end_marker)]
        if "\nGeneration" in old:
            section += ["", old[old.index("\nGeneration") :].strip()]
    if generated is not None:
        rows = "\n".join(f"| {n} | {c:,} | {s:.1f} |" for n, s, c in generated["timings"])
        section += [
            "",
            f"Generation ({date.today().isoformat()}, load average {os.getloadavg()[0]:.1f} at the end):",
            "",
            "| section | rows | seconds |",
            "| --- | ---: | ---: |",
            rows,
            f"| total | | {generated['total_seconds']:.1f} |",
        ]
    section.append(end_marker)
    block = "\n".join(section)
    if marker in previous:
        start = previous.index(marker)
        end = previous.index(end_marker) + len(end_marker)
        previous = previous[:start] + block + previous[end:]
    else:
        previous = (previous or "# Performance\n").rstrip() + "\n\n" + block + "\n"
    path.write_text(_with_intro(previous))
    print(f"\nWritten to {path}")


def _with_intro(text: str) -> str:
    """bench/README.md (how to read the tables) right under the page title, kept current between
    markers; other sections of the page (e.g. the upload measurements) stay as they are."""
    readme = (Path(__file__).resolve().parent / "README.md").read_text().strip()
    title, _, body = readme.partition("\n")
    start_marker, end_marker = "<!-- bench:intro -->", "<!-- /bench:intro -->"
    block = f"{start_marker}\n{body.strip()}\n{end_marker}"
    if start_marker in text:
        start = text.index(start_marker)
        end = text.index(end_marker) + len(end_marker)
        return text[:start] + block + text[end:]
    rest = text[len(title) :] if text.startswith(title) else "\n\n" + text
    return f"{title}\n\n{block}\n\n{rest.lstrip()}"


if __name__ == "__main__":
    main()
