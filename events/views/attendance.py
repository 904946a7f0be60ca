"""The office's attendance sheet: one session at a time, a box per confirmed registration; the
summary per person (sessions attended, share, whether they qualify) and issuing the certificates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events import permissions as can
from events.selectors import attendance as selectors
from events.selectors import listing
from events.services import attendance as services
from events.services import certificates as certificate_services
from grants_office.core.pages import perform


def _session(event, value):
    sessions = list(event.sessions.all())
    chosen = next((s for s in sessions if str(s.pk) == str(value)), None)
    return sessions, chosen or (sessions[0] if sessions else None)


def _sheet(request, event, *, session=None, status=200, problem=None):
    sessions, chosen = _session(event, session or request.GET.get("session"))
    context = {
        "event": event,
        "sessions": sessions,
        "session": chosen,
        "sheet": selectors.attendance_sheet(event),
        "problem": problem,
        "nav_active": "events",
    }
    return render(request, "events/attendance.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    if not can.manages_events(request.user):
        raise PermissionDenied
    event = listing.event_page(request.user, pk)
    if request.method == "GET":
        return _sheet(request, event)
    _sessions, session = _session(event, request.POST.get("session"))
    listed = {int(v) for v in request.POST.getlist("listed") if v.isdigit()}
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()} & listed
    outcome = perform(
        None,
        services.record_attendance,
        request.user,
        event,
        session=session,
        present=sorted(present),
        absent=sorted(listed - present),
    )
    if outcome.ok:
        messages.success(request, _("Attendance is saved."))
        return redirect(reverse("events:attendance", args=[event.pk]) + f"?session={session.pk}")
    return _sheet(
        request,
        event,
        session=session.pk if session else None,
        status=outcome.status,
        problem=outcome.problem,
    )


@login_required
@require_POST
def issue_certificates(request, pk):
    if not can.manages_events(request.user):
        raise PermissionDenied
    event = listing.event_page(request.user, pk)
    outcome = perform(None, certificate_services.issue_certificates, request.user, event)
    if outcome.ok:
        count = len(outcome.result)
        messages.success(request, _("Certificates issued: %(count)s.") % {"count": count})
        return redirect(reverse("events:attendance", args=[event.pk]))
    return _sheet(request, event, status=outcome.status, problem=outcome.problem)
