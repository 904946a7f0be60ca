"""The public check of a certificate: `/verify/<code>/` (the address in its QR code) and `/verify/?code=`
(the form, which goes to the code's own address). No sign-in.

It tells what the code certifies and nothing else about the person: valid or revoked (with the date,
never the reason, which may be personal), the holder's name as printed, the event (kind, title in the
page's language, dates in the event's zone, place), the hours, the issue date and the union. An unknown
or malformed code says only that no certificate has it. Lookups are counted per client address in the
shared cache (VERIFY_RATE_LIMIT in VERIFY_RATE_WINDOW seconds, then 429 with Retry-After), and no answer
is stored by caches or indexed by search engines.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from events.certificate_pdf import event_days
from events.models import CODE_LENGTH, normalise_code
from events.selectors.certificates import certificate_by_code
from grants_office.core.errors import NotFound
from grants_office.core.security import client_ip, within_limit

TEMPLATE = "events/verify.html"


def _private(response):
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _within_limit(request) -> bool:
    """One more lookup from this client address; False once it made more than the limit this window."""
    return within_limit(
        f"verify:client:{client_ip(request)}", settings.VERIFY_RATE_LIMIT, settings.VERIFY_RATE_WINDOW
    )


@require_safe
def verify_form(request):
    """The form; with `?code=` it sends the browser to the code's address, written as it is stored."""
    code = normalise_code(request.GET.get("code", ""))[: CODE_LENGTH * 2]
    if code:
        return _private(redirect(reverse("events:verify", args=[code])))
    return _private(render(request, TEMPLATE, {}))


@require_safe
def verify(request, code):
    if not _within_limit(request):
        response = render(request, TEMPLATE, {"limited": True}, status=429)
        response["Retry-After"] = str(settings.VERIFY_RATE_WINDOW)
        return _private(response)
    try:
        certificate = certificate_by_code(code)
    except NotFound:
        return _private(render(request, TEMPLATE, {"unknown": True}, status=404))
    event = certificate.registration.event
    starts_on, ends_on = event_days(event)
    context = {
        "certificate": certificate,
        "event": event,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "union_name": settings.UNION_NAME,
    }
    return _private(render(request, TEMPLATE, context))
