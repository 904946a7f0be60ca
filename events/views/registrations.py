"""The registrations of an event (the office's list with its decisions, a team lead's own) and the
actions on one registration: cancel (the person, who registered them, their team lead, the office),
approve, refuse with a reason, move to another event (the office)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events import permissions as can
from events.models import Event, Registration
from events.selectors import listing, visible_event_ids
from events.selectors import registrations as selectors
from events.services import registrations as services
from events.states import EventState
from grants_office.core.errors import NotFound
from grants_office.core.pages import perform

PAGE_SIZE = 50


def _registration(user, pk) -> Registration:
    """A registration the person may see (its event visible and the row among theirs); 404 otherwise."""
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    event = listing.event_page(user, registration.event_id)
    if not selectors.registrations_visible_to(user, event).filter(pk=registration.pk).exists():
        raise NotFound(_("Not found."))
    return registration


def _list(request, event, *, status=200, problem=None):
    rows = selectors.registrations_visible_to(request.user, event)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    manages = can.manages_events(request.user)
    targets = []
    if manages:
        targets = list(
            Event.objects.filter(pk__in=visible_event_ids(request.user), state__in=EventState.UPCOMING)
            .exclude(pk=event.pk)
            .order_by("starts_at", "id")
        )
    context = {
        "event": event,
        "page": page,
        "seats": selectors.seat_counts(event),
        "manages": manages,
        "targets": targets,
        "problem": problem,
        "nav_active": "events",
    }
    return render(request, "events/registrations.html", context, status=status)


@login_required
@require_GET
def registrations(request, pk):
    return _list(request, listing.event_page(request.user, pk))


def _run(request, registration, action):
    if action == "cancel":
        return perform(None, services.cancel_registration, request.user, registration), _("Cancelled.")
    if action == "approve":
        return perform(None, services.approve_registration, request.user, registration), _("Approved.")
    if action == "refuse":
        reason = request.POST.get("reason", "")[:2000]
        outcome = perform(None, services.refuse_registration, request.user, registration, reason=reason)
        return outcome, _("Refused.")
    target = Event.objects.filter(
        pk__in=visible_event_ids(request.user), pk=_number(request.POST.get("event"))
    )
    outcome = perform(None, services.move_registration, request.user, registration, to_event=target.first())
    return outcome, _("Moved.")


def _number(value):
    return int(value) if value and str(value).isdigit() else None


@login_required
@require_POST
def registration_action(request, pk, action):
    registration = _registration(request.user, pk)
    outcome, notice = _run(request, registration, action)
    back = request.POST.get("next") == "event"
    if outcome.ok:
        messages.success(request, notice)
        name = "events:event" if back or not can.manages_events(request.user) else "events:registrations"
        return redirect(reverse(name, args=[registration.event_id]))
    event = listing.event_page(request.user, registration.event_id)
    return _list(request, event, status=outcome.status, problem=outcome.problem)
