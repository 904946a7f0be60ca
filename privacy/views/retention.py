"""The retention page: how long each kind of record is kept, what is due now, and the destruction log
(the runs of the retention job). Office staff read it; admins may run the job at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grants_office.core.paging import limited_page, pager
from privacy import selectors, services
from privacy.permissions import may_apply_retention, reads_trail

PER_PAGE = 25


@login_required
@require_GET
def retention(request):
    if not reads_trail(request.user):
        raise PermissionDenied
    page = limited_page(request.GET.get("page"), selectors.retention_runs(), PER_PAGE)
    context = {
        "rules": selectors.retention_rules(),
        "page": page,
        "runs": selectors.run_rows(page.object_list),
        "pager": pager(request.GET, page),
        "may_run": may_apply_retention(request.user),
        "nav_active": "retention",
    }
    return render(request, "privacy/retention.html", context)


@login_required
@require_POST
def run_retention(request):
    if not may_apply_retention(request.user):
        raise PermissionDenied
    run = services.apply_retention(request.user)
    if run.pk:
        messages.success(request, _("%(rows)s records were destroyed or anonymised.") % {"rows": run.rows})
    else:
        messages.info(request, _("Nothing was due."))
    return redirect("privacy:retention")
