"""A municipality's and an organisation's page: who they are, their cooperation profile, the calls a
municipality may lead, agreements and networks, partner requests and funded projects."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cooperation import permissions as can
from cooperation.selectors import parties


def _render(request, page, nav_active: str):
    context = {
        "page": page,
        "party": page.party,
        "profile": page.profile,
        "may_edit": can.edits_profile(request.user, page.profile),
        "is_municipality": page.party._meta.model_name == "municipality",
        "nav_active": nav_active,
    }
    return render(request, "cooperation/party.html", context)


@login_required
@require_GET
def municipality(request, pk):
    return _render(request, parties.municipality_page(request.user, pk), "partners")


@login_required
@require_GET
def organisation(request, pk):
    return _render(request, parties.organisation_page(request.user, pk), "partners")
