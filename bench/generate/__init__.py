"""Fill the database with a union's worth of data, fast: `python -m bench.generate --scale national`.

Rows go in with bulk inserts in large batches, shaped as the services would have left them (memberships,
partners, assignments, transition logs, submissions), so reads behave as in production. Not for the test run.

One module per section (members, people, calls, proposals, documents, review, notifications), the bulk
and COPY helpers in `bulk`, the run in `driver`. This package is importable before `django.setup()`
(`bench/__main__.py` imports `generate` first); the sections import the product's models at their top,
so `generate` loads them only when it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import django
from django.core.management import call_command
from django.db import connection

SEED = 20261122


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grants_office.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    django.setup()


def generate(scale_name: str, *, seed: int = SEED, out=sys.stdout):
    """Load one scale into an empty database (run migrate first). Returns the generator with timings."""
    # app ready: the sections import the product's models at their top
    from bench.generate.driver import run

    return run(scale_name, seed=seed, out=out)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=["tiny", "small", "regional", "national"])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--timings", type=Path, help="write each section's rows and seconds there (JSON)")
    args = parser.parse_args(argv)
    setup_django()
    call_command("migrate", verbosity=0)
    generated = generate(args.scale, seed=args.seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # statistics for the planner, and the visibility map that index-only scans need
            cursor.execute("VACUUM ANALYZE")
    if args.timings:
        body = {"timings": generated.timings, "total_seconds": generated.total_seconds}
        args.timings.write_text(json.dumps(body))
