"""`make bench`: generate a scale into a PostgreSQL database if it is empty, then measure and report.

    python -m bench [--scale small] [--database-url postgres://...] [--no-write]

The database comes from --database-url, else BENCH_DATABASE_URL, else a local `grants_office_bench`.
"""

import argparse
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from django.core.management import call_command
from django.db import connection

from bench.generate import generate, setup_django


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Benchmarks of the grants office")
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "small"))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--no-write", action="store_true", help="print the table, leave docs/ alone")
    parser.add_argument("--skip-load-test", action="store_true")
    args = parser.parse_args(argv)
    url = args.database_url or f"postgres://postgres@127.0.0.1:5432/grants_office_bench_{args.scale}"
    if not args.skip_load_test:
        _ensure_wrk()
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    # In-process requests are plain http: measured, not redirected to https (production posture, DEBUG off).
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

    setup_django()
    # app ready: the product's models, and the modules that import them at their top
    from bench import scenarios
    from bench.machine import machine
    from bench.run import table
    from workflows.models import Proposal

    call_command("migrate", verbosity=0)
    generated = None
    if not Proposal.objects.exists():
        generated = generate(args.scale)
        with connection.cursor() as cursor:
            # statistics for the planner, and the visibility map that index-only scans need
            cursor.execute("VACUUM ANALYZE")
    load_before = os.getloadavg()
    results = scenarios.run_all()
    load_after = os.getloadavg()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    header = (
        f"Measured {date.today().isoformat()} on {machine()}, PostgreSQL {server}; "
        f"load average {load_before[0]:.1f} before and {load_after[0]:.1f} after the in-process runs; "
        f"scale `{args.scale}` ({scenarios.describe()})."
    )
    text = table(results, header)
    load = None if args.skip_load_test else scenarios.load_test(url)
    print(text)
    if load:
        print("\n" + load)
    if generated is not None:
        print(f"\nGenerated in {generated.total_seconds:.0f} s.")
    if not args.no_write:
        _write(args.scale, text, load, generated)


def _ensure_wrk() -> None:
    """The load test needs wrk: install it with apt-get when we may, else stop before any work."""
    if shutil.which("wrk"):
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installing wrk for the load test (apt-get install -y wrk)", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)
    if not shutil.which("wrk"):
        sys.exit(
            "The load test needs `wrk` and it could not be installed here: run `apt-get install -y wrk` "
            'as root, or pass --skip-load-test (BENCH_ARGS="--skip-load-test").'
        )


def _ensure_database(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    exists = subprocess.run(
        [
            "psql",
            "-h",
            parsed.hostname or "127.0.0.1",
            "-p",
            str(parsed.port or 5432),
            "-U",
            parsed.username or "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if exists.returncode != 0:
        sys.exit(f"PostgreSQL does not answer at {parsed.hostname}:{parsed.port or 5432}: {exists.stderr}")
    if exists.stdout.strip() != "1":
        subprocess.run(
            [
                "createdb",
                "-h",
                parsed.hostname or "127.0.0.1",
                "-p",
                str(parsed.port or 5432),
                "-U",
                parsed.username or "postgres",
                name,
            ],
            check=True,
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
        rows = "\n".join(f"| {n} | {c:,} | {s:.1f} |" for n, s, c in generated.timings)
        section += [
            "",
            f"Generation ({date.today().isoformat()}, load average {os.getloadavg()[0]:.1f} at the end):",
            "",
            "| section | rows | seconds |",
            "| --- | ---: | ---: |",
            rows,
            f"| total | | {generated.total_seconds:.1f} |",
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
