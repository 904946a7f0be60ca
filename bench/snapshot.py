"""The data every run measures: a generated snapshot that no run touches, and a fresh copy of it per run.

`grants_office_bench_<scale>` is generated once (or given with --database-url) and only migrated after
that; each bench script measures `<snapshot>_run`, copied from it with `CREATE DATABASE … TEMPLATE`
(a file copy, statistics and visibility map included). What a run writes (transitions, tokens) dies with
its copy, so the next run measures the same data: no drift between runs. No Django here: the copy is
made before Django connects.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


def snapshot_url(scale: str, given: str = "") -> str:
    return given or f"postgres://postgres@127.0.0.1:5432/grants_office_bench_{scale}"


def run_url(snapshot: str) -> str:
    parsed = urlparse(snapshot)
    return urlunparse(parsed._replace(path=f"/{parsed.path.lstrip('/')}_run"))


def _psql(url: str, sql: str, database: str = "postgres") -> str:
    parsed = urlparse(url)
    done = subprocess.run(
        [
            "psql",
            *["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)],
            *["-U", parsed.username or "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"PostgreSQL at {parsed.hostname}:{parsed.port or 5432} refused {sql[:80]!r}: {done.stderr}")
    return done.stdout.strip()


def _name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def ensure_database(url: str) -> str:
    """The database of `url` exists (created empty if not); returns its name."""
    name = _name(url)
    if _psql(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
        _psql(url, f'CREATE DATABASE "{name}"')
    return name


def prepare(scale: str, snapshot: str, environment: dict) -> dict | None:
    """The snapshot exists, is migrated to this code and holds the scale (generated now if empty, in a
    process of its own). Returns the generation's timings when it generated."""
    name = ensure_database(snapshot)
    env = {**environment, "DATABASE_URL": snapshot}
    applied = _migrations(snapshot)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True
    )
    if _psql(snapshot, "SELECT count(*) FROM workflows_proposal", name) == "0":
        timings = ROOT / "var" / "bench" / f"generation-{scale}.json"
        timings.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "bench.generate", "--scale", scale, "--timings", str(timings)],
            env=env,
            cwd=ROOT,
            check=True,
        )
        return json.loads(timings.read_text())
    if _migrations(snapshot) != applied:  # a new index needs its statistics, like the generated tables
        _psql(snapshot, "VACUUM ANALYZE", name)
    return None


def _migrations(url: str) -> str:
    exists = _psql(url, "SELECT to_regclass('django_migrations') IS NOT NULL", _name(url))
    return _psql(url, "SELECT count(*) FROM django_migrations", _name(url)) if exists == "t" else "0"


def fresh_copy(snapshot: str) -> str:
    """A new `<snapshot>_run`, copied from the snapshot; returns its URL."""
    copy = run_url(snapshot)
    _psql(snapshot, f'DROP DATABASE IF EXISTS "{_name(copy)}" WITH (FORCE)')
    _psql(snapshot, f'CREATE DATABASE "{_name(copy)}" TEMPLATE "{_name(snapshot)}" STRATEGY FILE_COPY')
    return copy
