"""Measure what people wait for: p50/p95 time and queries per request, against the raw SQL of each page.

Runs in-process through the full Django stack (middleware, token authentication, DRF, serializers) on the
database in DATABASE_URL, as a fresh request each time. Writes the table to docs/performance.md.
Imported after `django.setup()` (knox's models need the app registry).
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

REPEAT = 30
WARMUP = 3


@dataclass
class Result:
    name: str
    p50_ms: float
    p95_ms: float
    queries: int
    raw_ms: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        return self.p50_ms / self.raw_ms if self.raw_ms else None


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def token_for(user) -> str:
    return AuthToken.objects.create(user)[1]


def raw_sql_ms(queries) -> float | None:
    """EXPLAIN ANALYZE of every data query the request ran (authentication excluded): the floor."""
    if connection.vendor != "postgresql":
        return None
    total = 0.0
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if "knox_authtoken" in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            if "auth_group" in sql and "auth_user_groups" in sql and "workflows" not in sql:
                continue  # the role lookup belongs to authentication, not to the page
            runs = []
            for _ in range(3):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
                runs.append(plan["Planning Time"] + plan["Execution Time"])
            total += statistics.median(runs)
    return total


def measure(name, client, method, url, token, data=None, *, raw=True, prepare=None) -> Result:
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    times, counts, captured = [], [], None
    for i in range(WARMUP + REPEAT):
        args = prepare() if prepare else (url, data)
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = getattr(client, method)(args[0], args[1], content_type="application/json", **headers)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code >= 300:  # a redirect (e.g. to https) measures nothing
            raise SystemExit(
                f"{name}: {method.upper()} {args[0]} answered {response.status_code}: "
                f"{response.content[:300]!r}"
            )
        if i >= WARMUP:
            times.append(elapsed)
            counts.append(len(ctx.captured_queries))
            captured = ctx.captured_queries
    result = Result(name, percentile(times, 50), percentile(times, 95), max(counts))
    if raw and captured is not None:
        result.raw_ms = raw_sql_ms(captured)
    return result


def table(results, header) -> str:
    lines = [
        header,
        "",
        "| request | p50 ms | p95 ms | queries | raw SQL ms | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        raw = f"{r.raw_ms:.1f}" if r.raw_ms is not None else "–"
        ratio = f"{r.ratio:.1f}×" if r.ratio is not None else "–"
        lines.append(f"| {r.name} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.queries} | {raw} | {ratio} |")
    return "\n".join(lines)
