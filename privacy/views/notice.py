"""The privacy notice: read by anyone (also before signing in), accepted by each person at their first
sign-in after a new version; published by the office's admins, a new version each time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants_office.core.pages import perform
from grants_office.core.paging import limited_page, pager
from privacy import selectors, services
from privacy.forms import NoticeForm
from privacy.middleware import PENDING
from privacy.permissions import may_publish_notice


def _next(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure())
    return wanted if safe else "/"


@require_GET
def notice(request):
    """The current notice in the reader's language; the button to accept it when it is theirs to."""
    current = selectors.current_notice()
    pending = (
        selectors.pending_notice(request.user, current) if current and request.user.is_authenticated else None
    )
    context = {
        "notice": current,
        "text": current.text(get_language() or "tr") if current else "",
        "pending": pending,
        "next": _next(request),
        "may_publish": may_publish_notice(request.user),
    }
    return render(request, "privacy/notice.html", context)


@login_required
@require_POST
def accept(request):
    version = request.POST.get("version", "")
    outcome = perform(None, services.accept_notice, request.user, int(version) if version.isdigit() else 0)
    if not outcome.ok:
        return render(request, "privacy/refused.html", {"problem": outcome.problem}, status=outcome.status)
    request.session.pop(PENDING, None)
    return redirect(_next(request))


@login_required
@require_http_methods(["GET", "POST"])
def publish(request):
    """A new version (office admins), and the versions with how many people accepted each."""
    if not may_publish_notice(request.user):
        raise PermissionDenied
    current = selectors.current_notice()
    initial = {"text_tr": current.text_tr, "text_en": current.text_en} if current else {}
    form = NoticeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = perform(form, services.publish_notice, request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(
                request,
                _("Version %(version)s is published. Everyone accepts it at their next sign-in.")
                % {"version": outcome.result.version},
            )
            return redirect("privacy:notice-publish")
        if outcome.problem is not None:
            return render(
                request, "privacy/refused.html", {"problem": outcome.problem}, status=outcome.status
            )
        status = outcome.status
    elif request.method == "POST":
        status = 400
    page = limited_page(request.GET.get("page"), selectors.notice_versions(), 25)
    context = {"form": form, "page": page, "pager": pager(request.GET, page), "nav_active": "notice"}
    return render(request, "privacy/notice_publish.html", context, status=status)
