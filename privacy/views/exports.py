"""Each person's own data (`/account/data/`: what the service holds, the export of it) and the export's
file, for the person and for whoever asked for it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from grants_office.core.pages import perform
from privacy import conf, holdings, selectors, services


def ask(request, person, back: str):
    """Ask for `person`'s export and go back to the page that asked, saying what happens next."""
    outcome = perform(None, services.request_export, request.user, person)
    if outcome.ok:
        messages.success(
            request,
            _("The export is being prepared. You will be notified when it is ready to download."),
        )
        return redirect(back)
    return render(request, "privacy/refused.html", {"problem": outcome.problem}, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    """What the service holds about the signed-in person, section by section, and their exports."""
    if request.method == "POST":
        return ask(request, request.user, "privacy:my-data")
    context = {
        "counts": holdings.counts(request.user),
        "exports": selectors.exports_of(request.user)[:10],
        "export_days": conf.export_days(),
        "nav_active": "account",
    }
    return render(request, "privacy/my_data.html", context)


@login_required
@require_GET
def export_file(request, pk):
    """The ZIP, while it lasts; 404 for an export that is neither yours nor asked for by you."""
    outcome = perform(None, services.download, request.user, pk)
    if not outcome.ok:
        return render(request, "privacy/refused.html", {"problem": outcome.problem}, status=outcome.status)
    export = outcome.result
    return FileResponse(
        services.open_file(export),
        as_attachment=True,
        filename=export.filename,
        content_type="application/zip",
    )
