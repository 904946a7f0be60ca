"""What a big export or report costs: time, peak memory and size, each in a fresh process.

    python -m bench.exports [--scale national] [--database-url postgres://...] [--no-write]

Runs on a database `make bench` generated (the office sees every proposal: 100,000 rows at national
scale). Each case runs in its own Python process, so its peak resident memory (`ru_maxrss`) is the
export's, measured over the process's own baseline after Django is set up and one small request warmed
it; the body is read to the end as a client would and thrown away. The annual report is the year with
the most decisions.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.test import Client

from bench import snapshot
from bench.generate import setup_django
from bench.page import write_section

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024

# (name, url, who): the url may name {year}, the year with the most decisions.
CASES = [
    ("proposal export, XLSX, office (every row)", "/api/v1/proposals/export/?format=xlsx", "office"),
    ("proposal export, CSV, office (every row)", "/api/v1/proposals/export/?format=csv", "office"),
    ("proposal export, XLSX, team member", "/api/v1/proposals/export/?format=xlsx", "team"),
    (
        "results export, XLSX, by municipality",
        "/api/v1/reports/results/export/?format=xlsx&group_by=municipality",
        "office",
    ),
    ("annual report {year}, PDF", "/reports/annual/{year}.pdf", "office"),
    ("annual report {year}, XLSX", "/reports/annual/{year}.xlsx", "office"),
]


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _body_size(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _pages(content: bytes) -> int | None:
    from pypdf import PdfReader  # a test extra, which `make bench` installs

    return len(PdfReader(io.BytesIO(content)).pages)


def run_one(index: int) -> dict:
    """In the child: one case, as the office or the busiest team member asks for it."""
    from bench.scenarios import people  # app ready
    from workflows.models import Proposal  # app ready

    name, url, who = CASES[index]
    year = _busiest_year(Proposal)
    url, name = url.format(year=year), name.format(year=year)
    client = Client()
    client.force_login(people()[who])
    client.get("/api/v1/calls/?page_size=1")  # warm the URL conf, templates and connection
    baseline = _max_rss_mib()
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    pdf = None if response.streaming else response.content
    size = _body_size(response)
    seconds = time.perf_counter() - started
    pages = _pages(pdf) if url.endswith(".pdf") else None
    rows = Proposal.objects.alive().count() if "proposals/export" in url and who == "office" else None
    return {
        "name": name,
        "seconds": seconds,
        "peak_mib": _max_rss_mib() - baseline,
        "size_mib": size / MIB,
        "pages": pages,
        "rows": rows,
    }


def _busiest_year(Proposal) -> int:
    row = (
        Proposal.objects.filter(decided_on__isnull=False)
        .annotate(year=ExtractYear("decided_on"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["year"] if row else date.today().year


def table(rows: list[dict]) -> str:
    lines = [
        "| export | rows | seconds | peak memory MiB | size MiB | pages |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        count = f"{row['rows']:,}" if row["rows"] else "–"
        pages = row["pages"] or "–"
        lines.append(
            f"| {row['name']} | {count} | {row['seconds']:.1f} | {row['peak_mib']:.0f} "
            f"| {row['size_mib']:.1f} | {pages} |"
        )
    return "\n".join(lines)


def write(text: str, scale: str) -> None:
    write_section(
        "exports",
        "Exports and reports (`python -m bench.exports`)",
        f", scale `{scale}`: each case in a fresh process, the body read to the end; peak memory is the "
        "growth of the process's peak resident set over its baseline after a warm-up request.",
        text,
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "small"))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args, _others = parser.parse_known_args(argv)  # `make bench` passes the bench's own BENCH_ARGS too
    if args.one is not None:
        setup_django()
        print(json.dumps(run_one(args.one)))
        return
    # a fresh copy of the snapshot, like the bench's own run (the requests make tokens)
    url = snapshot.fresh_copy(snapshot.snapshot_url(args.scale, args.database_url))
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
    }
    environment.pop("REDIS_URL", None)
    rows = []
    for index in range(len(CASES)):
        done = subprocess.run(
            [sys.executable, "-m", "bench.exports", "--one", str(index)],
            env=environment,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"{CASES[index][0]} failed:\n{done.stderr[-2000:]}")
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    text = table(rows)
    print(text)
    if not args.no_write:
        write(text, args.scale)


if __name__ == "__main__":
    main()
