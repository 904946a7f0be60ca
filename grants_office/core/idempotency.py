"""Idempotent retries of unsafe API requests: the `Idempotency-Key` header.

A client whose connection dropped cannot tell whether its write happened. If it sent a key, it sends
the same request with the same key again: the first answer comes back (with `Idempotent-Replayed:
true`) and nothing is written twice. How:

- Only POST, PUT, PATCH and DELETE under `/api/v1/` by a signed-in person; the scope of a key is that
  person (the user the request authenticates as, with the view's own authentication classes, checked
  again on every retry, so a revoked token replays nothing). Endpoints that authenticate nobody (token
  login, the signed upload URL) ignore the header: their answers hold credentials or are idempotent
  by nature.
- With a key, the whole request runs in one transaction; the services' own atomic blocks become
  savepoints and `on_commit` work runs after the one commit. The record of the answer is written in
  that transaction, so a write that committed always has its record: a process killed after the
  commit leaves a retry nothing to redo.
- 2xx and 4xx answers are kept (`IDEMPOTENCY_KEY_TTL`, a day by default); a 5xx rolls everything back,
  record included, so the retry runs afresh.
- The same key for another method, path or body answers 422 `idempotency_key_reused`. A retry that
  arrives while the first is still running waits for it (PostgreSQL: on the key's unique index, up to
  `IDEMPOTENCY_WAIT_SECONDS`) and then gets its answer; past the wait, or if it cannot tell, 409
  `idempotency_in_progress` with `Retry-After`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.request import Request

from grants_office.core.api import error_body
from grants_office.core.errors import Reason
from grants_office.core.models import IdempotencyRecord
from grants_office.core.schema import ERROR_CONTENT

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/v1/"
MAX_KEY_LENGTH = 255
# Not part of an answer worth replaying: set per response by the server or the outer middleware.
NOT_REPLAYED = frozenset({"content-length", "date", "connection", "keep-alive", "transfer-encoding"})


def key_problem(key: str) -> str | None:
    """Why a key is refused: 1 to 255 printable ASCII characters (space to tilde), not only spaces."""
    if not key.strip() or len(key) > MAX_KEY_LENGTH or any(not " " <= char <= "~" for char in key):
        return _("Give 1 to %(count)d printable ASCII characters.") % {"count": MAX_KEY_LENGTH}
    return None


def fingerprint(method: str, full_path: str, content_type: str, body: bytes) -> str:
    """SHA-256 of what makes two requests the same: method, path with query, and body. A JSON body
    counts by its content, so a client that serialises the same object with other spacing or key
    order is not told it reused the key."""
    if content_type == "application/json" and body:
        with contextlib.suppress(ValueError, RecursionError):  # not JSON after all: the bytes themselves
            body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256(f"{method}\n{full_path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _authenticated_user(request):
    """The person the view will authenticate, found the way it will (its authentication classes), or
    None for a view that authenticates nobody, an unknown path, or a credential that fails."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view_class = getattr(match.func, "cls", None)  # DRF views; nothing else lives under the API
    authenticators = [auth() for auth in getattr(view_class, "authentication_classes", ())]
    if not authenticators:
        return None
    missing = object()
    before = request.__dict__.get("user", missing)
    try:
        user = Request(request, authenticators=authenticators).user
    except exceptions.APIException:
        user = None  # the view answers 401/403 itself
    finally:
        # DRF's Request sets the Django request's user: leave it as the middleware before us made it.
        if before is missing:
            request.__dict__.pop("user", None)
        else:
            request.user = before
    return user if user is not None and user.is_authenticated else None


def _answer_of(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code)
    if not any(name.lower() == "content-type" for name, _value in record.headers):
        del response["Content-Type"]
    for name, value in record.headers:
        response[name] = value
    response[REPLAYED] = "true"
    return response


def _reused() -> JsonResponse:
    return JsonResponse(
        error_body(
            "idempotency_key_reused",
            _("This Idempotency-Key was sent with another request; use a new key for a new request."),
        ),
        status=422,
    )


def _in_progress() -> JsonResponse:
    message = _("A request with this Idempotency-Key is still being processed; retry in a moment.")
    # the shape of every 409: the reasons too
    body = error_body(
        "idempotency_in_progress", message, reasons=[Reason("idempotency_in_progress", message).as_dict()]
    )
    response = JsonResponse(body, status=409)
    response["Retry-After"] = "1"
    return response


class _Busy(Exception):
    """Another request with the same key holds it longer than we wait."""


class _Undone(Exception):
    """The answer is not kept (a 5xx): leave the atomic block rolling everything back."""

    def __init__(self, response):
        self.response = response


def _claim(user, key: str, print_: str, request) -> IdempotencyRecord | None:
    """Insert the key's record (its answer comes later, in the same transaction); None when another
    request committed the key first. On PostgreSQL a request that holds the key but has not committed
    makes this wait, up to IDEMPOTENCY_WAIT_SECONDS."""
    try:
        with transaction.atomic():  # a savepoint: a refused insert leaves the request's transaction usable
            previous = None
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
                        [f"{int(settings.IDEMPOTENCY_WAIT_SECONDS * 1000)}ms"],
                    )
                    previous = cursor.fetchone()[0]
            record = IdempotencyRecord.objects.create(
                user=user, key=key, fingerprint=print_, method=request.method, path=request.get_full_path()
            )
            if previous is not None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
            return record
    except IntegrityError:
        return None
    except OperationalError as error:  # PostgreSQL's lock_timeout: the first is still running
        raise _Busy from error


def _stored(user, key: str, now: datetime) -> IdempotencyRecord | None:
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is not None and record.created_at < now - settings.IDEMPOTENCY_KEY_TTL:
        record.delete()  # expired but not yet swept: the key is free again
        return None
    return record


class IdempotencyMiddleware:
    """See the module's docstring. Comes right after AuthenticationMiddleware (settings.MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if (
            key is None
            or request.method not in UNSAFE_METHODS
            or not request.path_info.startswith(API_PREFIX)
        ):
            return self.get_response(request)
        problem = key_problem(key)
        if problem:
            return JsonResponse(
                error_body("invalid", _("Invalid input."), fields={HEADER: [problem]}), status=400
            )
        user = _authenticated_user(request)
        if user is None:
            return self.get_response(request)
        print_ = fingerprint(request.method, request.get_full_path(), request.content_type, request.body)
        try:
            return self._once(request, user, key, print_)
        except _Busy:
            return _in_progress()
        except _Undone as undone:
            return undone.response

    def _once(self, request, user, key: str, print_: str):
        with transaction.atomic():
            record = _stored(user, key, timezone.now())
            if record is None:
                record = _claim(user, key, print_, request)
                if record is None:  # committed by a request that ran at the same time
                    record = _stored(user, key, timezone.now())
                    if record is None:
                        raise _Busy
                else:
                    return self._first(request, record)
            if record.fingerprint != print_:
                return _reused()
            if record.status_code is None:  # cannot happen once committed; never replay a half
                raise _Busy
            return _answer_of(record)

    def _first(self, request, record: IdempotencyRecord):
        """Run the request inside the transaction that holds its record, and keep its answer."""
        response = self.get_response(request)
        if response.status_code >= 500:
            raise _Undone(response)
        if response.streaming:
            # No API write streams its answer; were one to, it would run as without a key.
            logger.warning("Not kept for %s: a streamed answer (%s %s)", HEADER, request.method, request.path)
            record.delete()
            return response
        record.status_code = response.status_code
        record.headers = [
            [name, value] for name, value in response.items() if name.lower() not in NOT_REPLAYED
        ]
        record.body = response.content
        record.save(update_fields=["status_code", "headers", "body"])
        return response


def remove_expired_records(now: datetime | None = None) -> int:
    """Forget answers older than IDEMPOTENCY_KEY_TTL (hourly, `core.remove_expired_idempotency_records`):
    their keys may be used again."""
    cutoff = (now or timezone.now()) - settings.IDEMPOTENCY_KEY_TTL
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- the schema ---------------------------------------------------------------------------------------
def document_idempotency_key(result, generator, request, public):
    """drf-spectacular postprocessing hook: every unsafe operation under /api/v1/ takes the optional
    `Idempotency-Key` header and may answer 409 (in progress) and 422 (key reused)."""
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[ -~]+$"},
        "description": (
            "Makes a retry safe: a repeat with the same key, method, path and body within 24 hours answers "
            "what the first answered (with `Idempotent-Replayed: true`) and writes nothing again. Use a "
            "new key (e.g. a UUID) for each new request. Scoped to the signed-in user."
        ),
    }
    in_progress = (
        "`idempotency_in_progress`: the first request with this `Idempotency-Key` is still running; "
        "retry after `Retry-After` seconds."
    )
    ref = ERROR_CONTENT
    for path, item in result.get("paths", {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for method, operation in item.items():
            if method.upper() not in UNSAFE_METHODS:
                continue
            if not any(operation.get("security", [])):
                continue  # authenticates nobody (token login, the signed upload URL): the header is ignored
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("in") == "header" and p.get("name") == HEADER for p in parameters):
                parameters.append(dict(parameter))
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                if str(code).startswith("2"):
                    response.setdefault("headers", {})[REPLAYED] = {
                        "description": "`true` when this is the kept answer to an earlier request with the "
                        "same `Idempotency-Key` (nothing was written again); absent otherwise.",
                        "schema": {"type": "string", "enum": ["true"]},
                    }
            if "409" in responses:  # the operation's own conflicts: say that this is one more
                responses["409"]["description"] = (
                    f"{responses['409'].get('description', '')} Or {in_progress}"
                )
            else:
                responses["409"] = {"description": in_progress, "content": ref}
            responses.setdefault(
                "422",
                {
                    "description": "`idempotency_key_reused`: the key was sent with another request.",
                    "content": ref,
                },
            )
    return result
