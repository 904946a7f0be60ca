"""Optimistic concurrency for edits: entity tags (`ETag`), the `If-Match` precondition and the version a
web form carries in a hidden field.

A tag names one version of what an edit changes. The service compares it with the locked row inside
its transaction (`Precondition.ensure`), so of two people who edit what they both read, one wins and the
other gets `PreconditionFailed` (412) instead of overwriting the first change unseen. Without a tag
(no header, `If-Match: *`, an old form) the edit is applied as before; clients SHOULD send one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter

from grants_office.core.errors import PreconditionFailed
from grants_office.core.schema import ERROR_CONTENT

# The hidden field of web edit forms that carries the tag the page was rendered with.
FORM_FIELD = "seen_version"


def stale() -> PreconditionFailed:
    return PreconditionFailed(_("Someone else changed this since you opened it; reload to see their change."))


@dataclass(frozen=True)
class Precondition:
    """The tags the client says it last saw; the edit goes ahead only if the row still has one of them."""

    tags: frozenset[str]

    def ensure(self, current: str) -> None:
        if current not in self.tags:
            raise stale()


def version_tag(kind: str, pk, version: int) -> str:
    """The tag of a row with a version counter (opaque to clients; unquoted)."""
    return f"{kind}{pk}.v{version}"


def _part(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def content_tag(kind: str, pk, *parts) -> str:
    """The tag of a row without a counter: a digest of exactly the values its edits change, so any
    change of them (and only that) gives a new tag."""
    digest = hashlib.sha256("\x1f".join(_part(part) for part in parts).encode()).hexdigest()[:24]
    return f"{kind}{pk}.{digest}"


def header_value(tag: str) -> str:
    """A strong entity tag as the `ETag` header carries it."""
    return f'"{tag}"'


def parse_if_match(value: str | None) -> Precondition | None:
    """`If-Match` as a precondition; None when absent or `*` (the edit applies to whatever is there).

    Only strong tags can match (RFC 9110, 13.1.1): a weak `W/"..."` is kept out, so it always fails.
    """
    value = (value or "").strip()
    if not value or value == "*":
        return None
    tags = set()
    for item in value.split(","):
        item = item.strip()
        if len(item) >= 2 and item[0] == item[-1] == '"':
            tags.add(item[1:-1])
    return Precondition(frozenset(tags))


def if_match(request) -> Precondition | None:
    """The precondition of an API request (DRF or Django request)."""
    return parse_if_match(request.META.get("HTTP_IF_MATCH"))


def from_form(value: str | None) -> Precondition | None:
    """The precondition of a web form: the tag it was rendered with; none for a form without one."""
    value = (value or "").strip()
    return Precondition(frozenset({value})) if value else None


def with_etag(response, tag: str):
    response["ETag"] = header_value(tag)
    return response


# --- the schema ---------------------------------------------------------------------------------------
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "The `ETag` of the version you edit (from the last GET or write). If the resource changed since, "
        "the answer is 412 and nothing changes. Without it (or with `*`) the edit applies to the current "
        "version, and a concurrent change can be overwritten unseen: clients SHOULD send it."
    ),
)

UNSAFE_METHODS = ("post", "put", "patch", "delete")


def _takes_if_match(operation: dict) -> bool:
    return any(
        parameter.get("in") == "header" and parameter.get("name") == "If-Match"
        for parameter in operation.get("parameters", [])
    )


def document_preconditions(result, generator, request, public):
    """drf-spectacular postprocessing hook: an operation that declares `If-Match` (per view, with
    `IF_MATCH`) also answers 412, and the reads and writes of its resource carry the `ETag` header."""
    for item in result.get("paths", {}).values():
        guarded = [method for method in UNSAFE_METHODS if method in item and _takes_if_match(item[method])]
        if not guarded:
            continue
        for method in guarded:
            item[method].setdefault("responses", {})["412"] = {
                "description": str(
                    gettext_lazy(
                        "`If-Match` does not name the current version: someone changed it since you read "
                        "it. GET it again, reapply your change and send the new `ETag`."
                    )
                ),
                "content": ERROR_CONTENT,
            }
        for method in ("get", *guarded):
            for status, response in item.get(method, {}).get("responses", {}).items():
                if str(status).startswith("2"):
                    response.setdefault("headers", {})["ETag"] = {
                        "description": str(
                            gettext_lazy("The version of the resource; send it as `If-Match` to edit it.")
                        ),
                        "schema": {"type": "string"},
                    }
    return result
