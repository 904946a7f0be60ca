"""Health endpoints for load balancers and orchestrators: no sign-in, no CSRF, never cached, answered over
plain http too (SECURE_REDIRECT_EXEMPT).

- `GET /healthz`: the process is up and serves requests; no I/O at all (a liveness probe must not fail,
  and get the process restarted, because the database is down).
- `GET /readyz`: the process can do its work: the database, the cache, the broker (when one is
  configured) and the default storage each answer within READINESS_TIMEOUT seconds. 200 when all do,
  else 503 naming the failed checks (a readiness probe takes the process out of the pool).

The checks run side by side, each in its own thread, so one that hangs costs the probe READINESS_TIMEOUT,
not a web worker forever; a check still hanging from an earlier probe is not started again. The body
names only the kind of failure; the details (host names, messages) go to the log.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable

from botocore.config import Config
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from kombu import Connection
from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)

# Timeouts of one probe's connections (seconds): below READINESS_TIMEOUT, so a dead endpoint is reported as
# refused or timed out by the client library rather than by the deadline.
CONNECT_TIMEOUT = 1


@never_cache
@csrf_exempt
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 answered something else")


def check_cache() -> None:
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return what was stored")
    finally:
        cache.delete(key)


def check_broker() -> None:
    options = {"socket_connect_timeout": CONNECT_TIMEOUT, "socket_timeout": CONNECT_TIMEOUT, "max_retries": 0}
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=CONNECT_TIMEOUT, transport_options=options
    ) as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=CONNECT_TIMEOUT)


def _s3_probe_client(storage):
    """A client of the storage's endpoint and keys with short timeouts and no retries, kept on the
    storage instance (which Django caches) so it is built once."""
    client = storage.__dict__.get("_readyz_client")
    if client is None:
        probe = Config(
            connect_timeout=CONNECT_TIMEOUT, read_timeout=CONNECT_TIMEOUT, retries={"total_max_attempts": 1}
        )
        client = storage._create_session().client(
            "s3",
            region_name=storage.region_name,
            use_ssl=storage.use_ssl,
            endpoint_url=storage.endpoint_url,
            config=storage.client_config.merge(probe),
            verify=storage.verify,
        )
        storage.__dict__["_readyz_client"] = client
    return client


def check_storage() -> None:
    storage = storages["default"]
    if isinstance(storage, S3Storage):
        _s3_probe_client(storage).head_bucket(Bucket=storage.bucket_name)
    else:
        storage.exists("readyz-probe")


def checks() -> dict[str, Callable[[], None]]:
    found = {"database": check_database, "cache": check_cache}
    if settings.CELERY_BROKER_URL:
        found["broker"] = check_broker
    found["storage"] = check_storage
    return found


_running: dict[str, threading.Thread] = {}
_running_lock = threading.Lock()


def _start(name: str, check: Callable[[], None], results: dict[str, str]) -> threading.Thread | None:
    def run():
        try:
            check()
        except Exception as error:
            logger.warning("Readiness check %s failed: %s: %s", name, type(error).__name__, error)
            results[name] = f"error: {type(error).__name__}"
        else:
            results[name] = "ok"
        finally:
            connections.close_all()  # this thread's own connections: none is left open behind the probe

    with _running_lock:
        earlier = _running.get(name)
        if earlier is not None and earlier.is_alive():
            return None
        thread = threading.Thread(target=run, name=f"readyz-{name}", daemon=True)
        _running[name] = thread
        thread.start()
        return thread


def run_checks(timeout: float | None = None) -> dict[str, str]:
    """Each check's result ("ok" or "error: <kind>"), within `timeout` seconds for all of them."""
    timeout = settings.READINESS_TIMEOUT if timeout is None else timeout
    results: dict[str, str] = {}
    started = {name: _start(name, check, results) for name, check in checks().items()}
    deadline = time.monotonic() + timeout
    for thread in started.values():
        if thread is not None:
            thread.join(max(0.0, deadline - time.monotonic()))
    answered = dict(results)
    for name, thread in started.items():
        if name not in answered:
            if thread is None:
                answered[name] = "error: still waiting for the previous check"
            else:
                logger.warning("Readiness check %s did not answer within %.1f s", name, timeout)
                answered[name] = f"error: no answer within {timeout:g} s"
    return {name: answered[name] for name in started}


@never_cache
@csrf_exempt
@require_safe
def readyz(request):
    results = run_checks()
    ready = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503
    )
