"""Certificates: "My certificates" (the office sees every one, filtered), a certificate's PDF (its holder
and the office), and the public verification page, which needs no sign-in and tells what a code
certifies and nothing else about the person."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from events import permissions as can
from events.certificate_pdf import certificate_pdf, filename
from events.models import Event, normalise_code
from events.selectors import certificates as selectors
from grants_office.core.errors import NotFound
from grants_office.core.pdf import pdf_response
from grants_office.core.security import client_ip, within_limit
from grants_office.members.models import Municipality

PAGE_SIZE = 25


class CertificateFilterForm(forms.Form):
    event = forms.ModelChoiceField(label=gettext_lazy("Event"), queryset=Event.objects.all(), required=False)
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"), queryset=Municipality.objects.all(), required=False
    )


def verify_url(request, certificate) -> str:
    return request.build_absolute_uri(reverse("events:verify", args=[certificate.display_code]))


@login_required
@require_GET
def my_certificates(request):
    rows = selectors.certificates_visible_to(request.user)
    manages = can.manages_events(request.user)
    filters = CertificateFilterForm(request.GET or None) if manages else None
    if filters is not None and filters.is_valid():
        if filters.cleaned_data["event"]:
            rows = rows.filter(registration__event=filters.cleaned_data["event"])
        if filters.cleaned_data["municipality"]:
            rows = rows.filter(registration__municipality=filters.cleaned_data["municipality"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "manages": manages, "nav_active": "certificates"}
    return render(request, "events/my_certificates.html", context)


@login_required
@require_GET
def certificate_file(request, pk):
    certificate = selectors.visible_certificate(request.user, pk)
    content = certificate_pdf(certificate, verify_url=verify_url(request, certificate))
    return pdf_response(content, filename(certificate))


def _limited(request) -> bool:
    key = f"verify:client:{client_ip(request)}"
    return not within_limit(key, settings.VERIFY_RATE_LIMIT, settings.VERIFY_RATE_WINDOW)


def _private(response):
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def verify_form(request):
    code = normalise_code(request.GET.get("code", ""))
    if code:
        return redirect(reverse("events:verify", args=[code]))
    return _private(render(request, "events/verify.html", {"asked": False}))


@require_GET
def verify(request, code):
    if _limited(request):
        response = render(request, "events/verify.html", {"limited": True}, status=429)
        response["Retry-After"] = str(settings.VERIFY_RATE_WINDOW)
        return _private(response)
    try:
        certificate = selectors.certificate_by_code(code)
    except NotFound:
        return _private(render(request, "events/verify.html", {"asked": True, "code": code[:40]}, status=404))
    context = {"asked": True, "certificate": certificate, "event": certificate.registration.event}
    return _private(render(request, "events/verify.html", context))
