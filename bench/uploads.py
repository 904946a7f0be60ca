"""Where the bytes of a big upload go: the web process's memory and what it reads, embedded and on S3.

    python -m bench.uploads [--size-mb 200] [--no-write]

For each mode a fresh embedded site (SQLite under a temporary VAR_DIR) runs under gunicorn with one
worker; the S3 mode adds SeaweedFS (`weed mini`, as the tests start it) as the object store. A team
member asks for an upload through the API, sends the bytes to the signed URL and completes it. Measured
on the gunicorn worker from /proc: resident memory before and its peak after, and the bytes it read
(`rchar`: files and sockets) over the whole flow. Embedded, the body goes through the worker in chunks,
so memory stays flat; on S3 the browser's bytes go to storage and the worker reads only the signed
checksum and the magic bytes at both ends.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.page import write_section

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
BLOCK = hashlib.sha512(b"grants office").digest() * (MIB // 64)  # 1 MiB, not compressible by design
USERNAME, PASSWORD = "bench.lead", "bench-uploads-1"


def body(size: int):
    """A PDF-looking body of `size` bytes, produced in 1 MiB chunks (never whole in memory)."""
    head = b"%PDF-1.7\n"
    yield head
    left = size - len(head)
    while left > 0:
        chunk = BLOCK[: min(left, len(BLOCK))]
        left -= len(chunk)
        yield chunk


def sha256_of(size: int) -> str:
    digest = hashlib.sha256()
    for chunk in body(size):
        digest.update(chunk)
    return digest.hexdigest()


def prepare() -> None:
    """Inside the site's environment: migrate, then a team lead with a drafting proposal."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable")  # the embedded mode's shared cache (sign-in limits, throttles)
    from grants_office.members.models import TeamMembership
    from tests import factories
    from workflows.states import State

    lead = factories.TeamMembershipFactory(user__username=USERNAME, role=TeamMembership.Role.LEAD).user
    lead.set_password(PASSWORD)
    lead.save()
    proposal = factories.ProposalFactory(lead=lead.team_memberships.get().municipality, state=State.DRAFTING)
    print(json.dumps({"proposal": proposal.pk}))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _proc(pid: int, name: str) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            values[key] = int(parts[0]) * (1024 if parts[1:] == ["kB"] else 1)
    return values


def _worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def _request(port, method, path, payload=None, token=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    connection.request(
        method, path, body=json.dumps(payload) if payload is not None else None, headers=headers
    )
    response = connection.getresponse()
    data = response.read()
    connection.close()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path}: {response.status} {data[:500]!r}")
    return json.loads(data) if data else {}


def _send(url: str, port: int, headers: dict, size: int) -> float:
    parts = urlsplit(url)
    host, target_port = (parts.hostname, parts.port) if parts.netloc else ("127.0.0.1", port)
    connection = http.client.HTTPConnection(host, target_port, timeout=600)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    started = time.perf_counter()
    connection.request("PUT", path, body=body(size), headers={**headers, "Content-Length": str(size)})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    if response.status >= 300:
        raise RuntimeError(f"PUT: {response.status} {data[:500]!r}")
    return time.perf_counter() - started


def _upload(port: int, token: str, document: int, size: int, digest: str):
    signed = _request(
        port,
        "POST",
        f"/api/v1/documents/{document}/uploads/",
        {"filename": "büyük ek.pdf", "size": size, "content_type": "application/pdf", "sha256": digest},
        token,
    )
    seconds = _send(signed["url"], port, signed.get("headers") or {}, size)
    started = time.perf_counter()
    version = _request(port, "POST", f"/api/v1/uploads/{signed['id']}/complete/", None, token)
    return seconds, time.perf_counter() - started, version


def run_mode(mode: str, size: int, digest: str, s3=None) -> dict:
    var = Path(tempfile.mkdtemp(prefix=f"bench-uploads-{mode}-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL") and not key.startswith("S3_")
    }
    env.update(
        VAR_DIR=str(var),
        SECRET_KEY="bench-uploads-only",
        DEBUG="false",
        SECURE_COOKIES="false",
        SECURE_SSL_REDIRECT="false",  # plain http on loopback, not redirected to https
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="grants_office.settings",
        DOCUMENTS_MAX_UPLOAD_SIZE=str(size + MIB),
    )
    if s3 is not None:
        env.update(
            S3_BUCKET=s3.bucket,
            S3_ENDPOINT_URL=s3.endpoint_url,
            S3_REGION=s3.region,
            S3_ACCESS_KEY_ID=s3.access_key,
            S3_SECRET_ACCESS_KEY=s3.secret_key,
        )
    prepared = subprocess.run(
        [sys.executable, "-m", "bench.uploads", "--prepare"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    proposal = json.loads(prepared.stdout.strip().splitlines()[-1])["proposal"]
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "grants_office.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "600"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        worker = _worker_pid(server.pid)
        for _ in range(100):
            try:
                token = _request(
                    port, "POST", "/api/v1/auth/token/", {"username": USERNAME, "password": PASSWORD}
                )["token"]
                break
            except (ConnectionError, OSError):
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer")
        document = _request(
            port,
            "POST",
            f"/api/v1/proposals/{proposal}/documents/",
            {"kind": "annex", "title": "Big annex"},
            token,
        )["id"]
        # a first small upload loads what the first one needs (the S3 client, templates), not measured
        _upload(port, token, document, MIB, sha256_of(MIB))
        before = _proc(worker, "status")
        read_before = _proc(worker, "io")["rchar"]
        seconds, complete, version = _upload(port, token, document, size, digest)
        after = _proc(worker, "status")
        read = _proc(worker, "io")["rchar"] - read_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert version["sha256"] == digest and version["size"] == size, version
    return {
        "mode": mode,
        "size": size,
        "send_s": seconds,
        "complete_s": complete,
        "rss_before": before["VmRSS"],
        "peak_growth": max(after["VmHWM"] - max(before["VmHWM"], before["VmRSS"]), 0),
        "read": read,
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| mode | file | upload | MB/s | complete | worker RSS before | peak growth | worker read |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['mode']} | {row['size'] / MIB:.0f} MiB | {row['send_s']:.2f} s "
            f"| {row['size'] / MIB / row['send_s']:.0f} | {row['complete_s'] * 1000:.0f} ms "
            f"| {row['rss_before'] / MIB:.1f} MiB | {row['peak_growth'] / MIB:.2f} MiB "
            f"| {row['read'] / MIB:.2f} MiB ({row['read'] / row['size']:.2%}) |"
        )
    return "\n".join(lines)


def write(text: str) -> None:
    write_section(
        "uploads",
        "Big uploads (`python -m bench.uploads`)",
        ": one gunicorn worker, the file sent to the signed URL and completed through the API. "
        "`worker read` counts every read of the worker process (sockets and files) from the upload "
        "request to the completion.",
        text,
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare()
        return
    from tests.s3_server import start_seaweedfs, stop_seaweedfs

    size = args.size_mb * MIB
    digest = sha256_of(size)
    rows = [run_mode("embedded (local disk)", size, digest)]
    s3, weed = start_seaweedfs(Path(tempfile.mkdtemp(prefix="bench-uploads-weed-")))
    try:
        rows.append(run_mode("S3 (SeaweedFS)", size, digest, s3))
    finally:
        stop_seaweedfs(weed)
    text = table(rows)
    print(text)
    if not args.no_write:
        write(text)


if __name__ == "__main__":
    main()
