"""The office's person pages: everyone with an account, what the service holds about each, the export of
it (answering a person's request) and their erasure. Opening a person's page is a read, in the trail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grants_office.core.pages import perform
from grants_office.core.paging import limited_page, pager
from grants_office.identity.permissions import may_reset_second_factor
from grants_office.identity.selectors import second_factor_of
from privacy import holdings, selectors, services
from privacy.forms import EraseForm
from privacy.permissions import may_erase, reads_people
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
    return render(request, "privacy/person.html", _person_context(request, subject, EraseForm()))


def _person_context(request, subject, form) -> dict:
    admin = may_erase(request.user)
    return {
        "subject": subject,
        "memberships": selectors.memberships_of(subject),
        "counts": holdings.counts(subject),
        "exports": selectors.exports_of(subject)[:10],
        "may_erase": admin,
        "holds": []
        if not admin or hasattr(subject, "erasure")
        else selectors.erasure_holds(request.user, subject),
        "erase_form": form,
        "second_factor": second_factor_of(subject),
        "may_reset_second_factor": may_reset_second_factor(request.user, subject),
        "nav_active": "people",
    }


@login_required
@require_POST
def export_person(request, pk):
    _office_only(request)
    subject = selectors.person(pk)
    return ask(request, subject, reverse("privacy:person", args=[subject.pk]))


@login_required
@require_POST
def erase_person(request, pk):
    """Erase the person by anonymisation (office admins), once the form is confirmed."""
    if not may_erase(request.user):
        raise PermissionDenied
    subject = selectors.person(pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/person.html", _person_context(request, subject, form), status=400)
    outcome = perform(form, services.erase_person, request.user, subject, form.cleaned_data["reason"])
    if not outcome.ok:
        return render(request, "privacy/refused.html", {"problem": outcome.problem}, status=outcome.status)
    messages.success(
        request,
        _("The person is erased. They are now %(pseudonym)s.") % {"pseudonym": outcome.result.pseudonym},
    )
    return redirect("privacy:person", pk=subject.pk)
