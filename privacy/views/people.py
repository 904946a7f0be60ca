"""The office's person pages: everyone with an account, what the service holds about each, and the
export of it (answering a person's request). Opening a person's page is a read, logged in the trail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from grants_office.core.paging import limited_page, pager
from privacy import holdings, selectors, services
from privacy.permissions import reads_people
from privacy.views.exports import ask

PER_PAGE = 50


def _office_only(request) -> None:
    if not reads_people(request.user):
        raise PermissionDenied


@login_required
@require_GET
def people(request):
    """Everyone with an account, by name; `q` finds by name, user name or e-mail."""
    _office_only(request)
    query = request.GET.get("q", "").strip()[:100]
    page = limited_page(request.GET.get("page"), selectors.people(query), PER_PAGE)
    context = {"query": query, "page": page, "pager": pager(request.GET, page), "nav_active": "people"}
    return render(request, "privacy/people.html", context)


@login_required
@require_GET
def person(request, pk):
    """What the service holds about one person, section by section, and the exports of it."""
    _office_only(request)
    subject = selectors.person(pk)
    services.record_person_read(request.user, subject)
    context = {
        "subject": subject,
        "memberships": selectors.memberships_of(subject),
        "counts": holdings.counts(subject),
        "exports": selectors.exports_of(subject)[:10],
        "nav_active": "people",
    }
    return render(request, "privacy/person.html", context)


@login_required
@require_POST
def export_person(request, pk):
    _office_only(request)
    subject = selectors.person(pk)
    return ask(request, subject, reverse("privacy:person", args=[subject.pk]))
