"""The OpenAPI schema tells the whole truth about answers: the one error body, declared where it happens.

Every error of the API has the shape `grants_office.core.api.error_body` builds; `ErrorSerializer` is
that shape (the component `Error`), for `extend_schema(responses={412: ErrorSerializer})` where a view
answers a status of its own. `declare_error_responses`, a drf-spectacular postprocessing hook, adds it
to every operation for the statuses the operation can answer, by one rule:

- 400: the operation takes a body, query parameters or headers (`fields` says what to correct);
- 401: it needs a signed-in caller (no token, or one that expired or was revoked);
- 404: it names an object in its path (one the caller may not see is not found either), or it is a
  paginated list (a page past the end);
- 409: it changes something for a signed-in caller (not allowed in the current state, `reasons` say
  why; or a retry while the first request with its Idempotency-Key still runs);
- 415: it takes a body (one in a media type it does not take, or a multipart body it cannot read);
- 429: its view has throttles.

A status an operation declares itself, or an earlier hook declared, is left as it is; the hook runs
first (so the 409 is this one) and again last (for the headers later hooks add).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

UNSAFE_METHODS = {"post", "put", "patch", "delete"}
# The error body for hooks that add statuses of their own (Idempotency-Key, If-Match); the first run of
# `declare_error_responses` has registered the component by then.
ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
DESCRIPTIONS = {
    "400": "Invalid input: `fields` says what to correct.",
    "401": "No valid token or session.",
    "404": "No such object, or not one this caller may see.",
    "409": "Not allowed in the current state: `reasons` say why.",
    "415": "The body is not in a media type the operation takes.",
    "429": "Too many requests: try again later.",
}


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("A stable code, e.g. wrong_state, not_permitted."))
    message = serializers.CharField(help_text=_("The sentence to show a person."))


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
    }
)
class ErrorFieldsField(serializers.DictField):
    """`{field: [messages]}`; a nested input (a list of partners) nests the same way."""


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer."""

    code = serializers.CharField(help_text=_("A stable, machine-readable code: invalid, not_found, ..."))
    detail = serializers.CharField(help_text=_("What went wrong, for people."))
    fields = ErrorFieldsField(
        required=False,
        help_text=_("400: the messages for each input field (`non_field_errors` for the input as a whole)."),
    )
    reasons = ReasonSerializer(many=True, required=False, help_text=_("409: why it is not allowed now."))


def _is_paginated(operation: dict) -> bool:
    ok = operation.get("responses", {}).get("200", {})
    schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").startswith("#/components/schemas/Paginated")


def error_statuses(method: str, operation: dict, view) -> list[str]:
    """The error statuses `operation` can answer, by the rule of the module docstring."""
    parameters = operation.get("parameters", [])
    security = operation.get("security")
    signed_in = bool(security) and {} not in security
    statuses = []
    if "requestBody" in operation or any(p["in"] in ("query", "header") for p in parameters):
        statuses.append("400")
    if signed_in:
        statuses.append("401")
    if any(p["in"] == "path" for p in parameters) or _is_paginated(operation):
        statuses.append("404")
    if method in UNSAFE_METHODS and signed_in:
        statuses.append("409")
    if "requestBody" in operation:
        statuses.append("415")
    if view is not None and view.get_throttles():
        statuses.append("429")
    return statuses


def declare_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    endpoints = generator._get_paths_and_endpoints()
    views = {(path, method.lower()): view for path, _regex, method, view in endpoints}
    error = None
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            view = views.get((path, method))
            statuses = [s for s in error_statuses(method, operation, view) if s not in operation["responses"]]
            if not statuses:
                continue
            if error is None:
                error = _resolve(ErrorSerializer, generator, view, path, method)
            for status in statuses:
                operation["responses"][status] = {
                    "content": {"application/json": {"schema": error}},
                    "description": DESCRIPTIONS[status],
                }
    # the components the hook resolved (Error, Reason); those built before stay as earlier hooks left them
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in generator.registry.build({}).get("schemas", {}).items():
        schemas.setdefault(name, schema)
    return result


def _resolve(serializer_class, generator, view, path: str, method: str) -> dict:
    """A reference to the serializer's component, resolved as drf-spectacular resolves any other."""
    inspector = view.schema
    inspector.registry, inspector.path, inspector.method = generator.registry, path, method.upper()
    return inspector.resolve_serializer(serializer_class(), "response").ref


class TokenScheme(KnoxTokenScheme):
    """Our token authentication is knox's (`core.tokens.TokenAuthentication`): the same scheme."""

    target_class = "grants_office.core.tokens.TokenAuthentication"
