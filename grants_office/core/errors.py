"""Domain errors raised by services; the API maps each to one HTTP status in one place."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str = "", **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(DomainError):
    """The object does not exist or this user may not know that it does."""

    status = 404
    code = "not_found"


class Invalid(DomainError):
    """Bad input: `fields` maps a field name to its messages."""

    status = 400
    code = "invalid"

    def __init__(self, message: str = "", fields: dict[str, list[str]] | None = None):
        super().__init__(message, fields=fields or {})
        self.fields = fields or {}


@dataclass(frozen=True)
class Reason:
    """Why something is not allowed now: a stable code and a sentence for people."""

    code: str
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message)}


class Conflict(DomainError):
    """Not allowed in the current state of things (HTTP 409); `reasons` say why."""

    status = 409
    code = "conflict"

    def __init__(self, message: str = "", reasons: list[Reason] | None = None, code: str | None = None):
        super().__init__(message)
        self.reasons = list(reasons or [])
        if code:
            self.code = code


def refused(code: str, message: str) -> Conflict:
    """A 409 with one reason, whose code is also the answer's."""
    return Conflict(message, reasons=[Reason(code, message)], code=code)


def not_permitted(message: str) -> Conflict:
    """A 409 for a person whose role does not allow the step: one reason, `not_permitted`."""
    return refused("not_permitted", message)


class PreconditionFailed(DomainError):
    """The client edited what it last saw, and the row changed since (HTTP 412, `If-Match`): nothing
    is written, so nobody's change is silently overwritten."""

    status = 412
    code = "precondition_failed"


class StorageUnavailable(DomainError):
    """The object storage (S3 or the local disk) does not answer or fails (HTTP 503): nothing was
    written, and the same request may succeed later; `retry_after` is the seconds to wait."""

    status = 503
    code = "storage_unavailable"

    def __init__(self, message: str = "", retry_after: int = 30):
        super().__init__(message)
        self.retry_after = retry_after
