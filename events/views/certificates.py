"""Certificates on the pages: "My certificates" (the signed-in person's; the office sees every one, with
filters) and a certificate's PDF, `/certificates/<id>.pdf`, for its holder and the office (404 for
anyone else). The public check of a code is `events.views.verify`."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from events import permissions as can
from events.certificate_pdf import certificate_pdf, filename
from events.models import Event
from events.selectors import certificates as selectors
from grants_office.core.api import CountLimitedPaginator
from grants_office.core.pdf import pdf_response
from grants_office.members.models import Municipality

PAGE_SIZE = 25


class CertificateFilterForm(forms.Form):
    """The office's filters (a holder sees only their own few)."""

    event = forms.ModelChoiceField(
        label=gettext_lazy("Event"),
        queryset=Event.objects.order_by("-starts_at", "id"),
        required=False,
        empty_label=gettext_lazy("All events"),
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Municipality.objects.order_by("name", "id"),
        required=False,
        empty_label=gettext_lazy("All municipalities"),
    )


def verify_url(request, certificate) -> str:
    """The absolute address of the certificate's public check (what its QR code holds)."""
    return request.build_absolute_uri(reverse("events:verify", args=[certificate.display_code]))


def _page(request, rows):
    """One page; the count stops a page plus COUNT_AHEAD rows ahead, as the API's lists do."""
    raw = request.GET.get("page") or "1"
    wanted = int(raw) if raw.isdecimal() and len(raw) <= 10 else 1
    return CountLimitedPaginator(rows, PAGE_SIZE, wanted_page=max(wanted, 1)).get_page(raw)


@login_required
@require_safe
def my_certificates(request):
    rows = selectors.certificates_visible_to(request.user)
    manages = can.manages_events(request.user)
    filters = CertificateFilterForm(request.GET or None) if manages else None
    if filters is not None and filters.is_valid():
        rows = selectors.filter_certificates(rows, **filters.cleaned_data)
    context = {
        "page": _page(request, rows),
        "filters": filters,
        "manages": manages,
        "nav_active": "certificates",
    }
    return render(request, "events/my_certificates.html", context)


@login_required
@require_safe
def certificate_file(request, pk):
    """The PDF, whose QR code is the address of its check on this site."""
    certificate = selectors.visible_certificate(request.user, pk)
    response = pdf_response(
        certificate_pdf(certificate, verify_url=verify_url(request, certificate)), filename(certificate)
    )
    response["Cache-Control"] = "private, no-store"
    return response
