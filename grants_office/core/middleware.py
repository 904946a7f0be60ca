"""Middleware of the web pages: the Content-Security-Policy header, the answers to domain errors and the
audit trail's person and address."""

from __future__ import annotations

from urllib.parse import urlsplit

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404, JsonResponse
from django.shortcuts import render

from grants_office.core.api import error_body
from grants_office.core.errors import NotFound, StorageUnavailable
from grants_office.core.security import client_ip


def csp_header_value(policy: dict[str, list[str]] | str) -> str:
    if isinstance(policy, str):
        return policy
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


def storage_connect_sources(storage: dict) -> list[str]:
    """The origins a browser PUTs document uploads to: the S3 endpoint of the default storage.

    Exactly the hosts boto signs for: the endpoint's origin (path style), plus `bucket.host` with
    virtual-host addressing; on AWS without an endpoint, the regional and the global (us-east-1 and
    "auto" addressing sign for s3.amazonaws.com) hosts, with and without the bucket. Local disk: none,
    uploads go to our own origin.
    """
    if "s3" not in str(storage.get("BACKEND", "")).lower():
        return []
    options = storage.get("OPTIONS") or {}
    bucket = options.get("bucket_name") or ""
    endpoint = options.get("endpoint_url")
    if endpoint:
        parts = urlsplit(endpoint)
        sources = [f"{parts.scheme}://{parts.netloc}"]
        if options.get("addressing_style") == "virtual" and bucket:
            sources.append(f"{parts.scheme}://{bucket}.{parts.netloc}")
        return sources
    hosts = ["s3.amazonaws.com", f"s3.{options.get('region_name') or 'us-east-1'}.amazonaws.com"]
    return [f"https://{host}" for host in hosts] + [f"https://{bucket}.{host}" for host in hosts if bucket]


class ContentSecurityPolicyMiddleware:
    """Every response says where scripts, styles and connections may come from: our own origin only,
    and the object storage that browsers upload documents to (`connect-src`, read from the configured
    default storage, so the policy and the signed URLs can never disagree).

    No inline script runs (the pages keep their JavaScript in static files); a view that needs another
    policy sets the header itself and this one leaves it alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._values: dict[tuple, str] = {}

    def _value(self, path: str) -> str:
        policy = settings.CONTENT_SECURITY_POLICY
        if not policy or isinstance(policy, str):
            return policy or ""
        storage = settings.STORAGES.get("default", {})
        # Third-party pages we serve but do not write (the API docs' Swagger UI sets inline styles):
        # path prefix -> directives that replace the policy's own for those pages only.
        exceptions = getattr(settings, "CONTENT_SECURITY_POLICY_EXCEPTIONS", {})
        prefix = next((prefix for prefix in exceptions if path.startswith(prefix)), None)
        key = (prefix, repr(policy), repr(storage))
        value = self._values.get(key)
        if value is None:
            policy = {**policy, **(exceptions[prefix] if prefix is not None else {})}
            connect = list(policy.get("connect-src", ["'self'"]))
            connect += [s for s in storage_connect_sources(storage) if s not in connect]
            value = self._values[key] = csp_header_value({**policy, "connect-src": connect})
        return value

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            value = self._value(request.path)
            if value:
                response["Content-Security-Policy"] = value
        return response


class StorageUnavailableMiddleware:
    """A page that fails because the document storage does not answer gets a 503 that says so, with
    Retry-After, never a 500. The API answers the same error itself (`domain_error_response`); views
    that serve browsers from the API (the download link) use `response` too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, StorageUnavailable):
            return self.response(request, exception)
        return None

    @staticmethod
    def wants_page(request) -> bool:
        """A browser navigating (Accept prefers HTML), not a script asking for JSON."""
        return request.get_preferred_type(["application/json", "text/html"]) == "text/html"

    @staticmethod
    def response(request, error: StorageUnavailable):
        if StorageUnavailableMiddleware.wants_page(request) or request.headers.get("HX-Request"):
            response = render(request, "core/storage_unavailable.html", {"error": error}, status=503)
        else:
            response = JsonResponse(error_body(error.code, error.message), status=503)
        response["Retry-After"] = str(int(error.retry_after))
        return response


class DomainErrorMiddleware:
    """A page whose service raised `NotFound` answers the 404 page, as `get_object_or_404` would: the
    one place pages turn that domain error into a response (the API has its exception handler; section
    actions turn `Invalid` and `Conflict` into their answers with `grants_office.core.pages.perform`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(str(exception) or "not found"))
        return None


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's, with the client address as the rest of the service reads it (behind the proxies that
    TRUSTED_PROXIES names, not whatever X-Forwarded-For a client sends) and without the port."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request) or None

    @staticmethod
    def _get_remote_port(request):
        return None
