"""Measure what people wait for, in rounds: p50, p95 and p99 per request, the queries, and the same
page's SQL run alone from the app's own connection.

In-process through the full Django stack (middleware, token authentication, DRF, serializers) on the
database in DATABASE_URL, a fresh request each time. Every case runs once per round, the rounds one after
the other (ROUNDS × SAMPLES requests a case after WARMUP): a pause of the machine lands in one round,
and the table gives each percentile's minimum and median over the rounds. Imported after `django.setup()`
(knox's models need the app registry).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

ROUNDS = 5
SAMPLES = 30
WARMUP = 3
RAW_REPEAT = 7
# Issue 18: what the framework may add to the page's own SQL (round trips included).
OVERHEAD_MS, OVERHEAD_PER_ROW_MS = 3.0, 0.040


@dataclass
class Case:
    """One request as one role makes it. `prepare` gives (url, data) afresh for each request (a write
    acts on a new object each time); `raw` False for what cannot be replayed as SQL alone."""

    name: str
    role: str
    url: str | None = None
    method: str = "get"
    data: dict | None = None
    prepare: Callable[[], tuple[str, dict | None]] | None = None
    raw: bool = True
    samples: int | None = None  # per round, where SAMPLES would take minutes (the big reports)


@dataclass
class Result:
    name: str
    p50_ms: float
    p95_ms: list[float]  # one per round
    p99_ms: list[float]
    queries: int
    rows: int | None = None
    raw_ms: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def overhead_ms(self) -> float | None:
        return None if self.raw_ms is None else self.p50_ms - self.raw_ms

    @property
    def budget_ms(self) -> float | None:
        """The framework's allowance for this page: 3 ms plus 40 µs a row."""
        return None if self.rows is None else OVERHEAD_MS + OVERHEAD_PER_ROW_MS * self.rows


def percentile(values, q):
    """The nearest-rank percentile (p95 of 30 samples is the 29th: the highest but one)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def token_for(user) -> str:
    return AuthToken.objects.create(user)[1]


def replay_ms(queries) -> float | None:
    """The page's SQL alone: every query the request ran (authentication included), sent again in order
    from the app's connection and read to the last row; the median of RAW_REPEAT runs. The floor the
    framework adds to, round trips included."""
    statements = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    if connection.vendor != "postgresql" or not statements:
        return None
    runs = []
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: no Django wrapper in the floor
        for _ in range(RAW_REPEAT):
            started = time.perf_counter()
            for sql in statements:
                raw.execute(sql)
                raw.fetchall()
            runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def _rows(response) -> int | None:
    if "json" not in response.get("Content-Type", ""):
        return None
    body = json.loads(response.content)
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return len(body["results"])
    return len(body) if isinstance(body, list) else None


@dataclass
class _Samples:
    case: Case
    rounds: list[list[float]] = field(default_factory=list)
    queries: int = 0
    captured: list | None = None
    rows: int | None = None


def _request(client, case: Case, token: str):
    url, data = case.prepare() if case.prepare else (case.url, case.data)
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = getattr(client, case.method)(
            url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
        )
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code >= 300:  # a redirect (e.g. to https) or a refusal measures nothing
        raise SystemExit(
            f"{case.name}: {case.method.upper()} {url} answered {response.status_code}: "
            f"{response.content[:300]!r}"
        )
    return elapsed, ctx.captured_queries, response


def requests_needed(case: Case, *, rounds=ROUNDS, samples=SAMPLES) -> int:
    return WARMUP + rounds * (case.samples or samples)


def measure_all(cases: list[Case], client, tokens: dict[str, str], *, rounds=ROUNDS, samples=SAMPLES):
    """Every case `rounds` times, interleaved; then each read's SQL replayed alone."""
    state = [_Samples(case) for case in cases]
    for number in range(rounds):
        for entry in state:
            token = tokens[entry.case.role]
            if number == 0:
                for _ in range(WARMUP):
                    _request(client, entry.case, token)
            times = []
            for _ in range(entry.case.samples or samples):
                elapsed, captured, response = _request(client, entry.case, token)
                times.append(elapsed)
                entry.queries = max(entry.queries, len(captured))
                entry.captured = captured
            entry.rows = _rows(response)
            entry.rounds.append(times)
        print(f"  round {number + 1} of {rounds} done", flush=True)
    results = []
    for entry in state:
        every = [t for times in entry.rounds for t in times]
        result = Result(
            entry.case.name,
            percentile(every, 50),
            [percentile(times, 95) for times in entry.rounds],
            [percentile(times, 99) for times in entry.rounds],
            entry.queries,
            rows=entry.rows,
        )
        if entry.case.raw and entry.captured:
            result.raw_ms = replay_ms(entry.captured)
        results.append(result)
    return results


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def table(results: list[Result], header: str) -> str:
    lines = [
        header,
        "",
        "| request | rows | p50 ms | p95 ms min / median | p99 ms min / median | queries | raw SQL ms "
        "| overhead ms | allowed ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        p95 = f"{min(r.p95_ms):.1f} / {statistics.median(r.p95_ms):.1f}"
        p99 = f"{min(r.p99_ms):.1f} / {statistics.median(r.p99_ms):.1f}"
        rows = "–" if r.rows is None else str(r.rows)
        budget = r.budget_ms if r.raw_ms is not None else None
        lines.append(
            f"| {r.name} | {rows} | {r.p50_ms:.1f} | {p95} | {p99} | {r.queries} | {_ms(r.raw_ms)} "
            f"| {_ms(r.overhead_ms)} | {_ms(budget)} |"
        )
    return "\n".join(lines)
