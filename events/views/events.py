"""Event pages: the list, one event (with registering), the office's new and edit forms and its steps.

Thin: reads through `events.selectors`, writes through `events.services` run by `core.pages.perform`
(400 with the form's errors, 409 with the reasons, 404 for what the person may not see)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import lifecycle
from events import permissions as can
from events.forms import EventForm, RegisterForm, SessionFormSet, sessions_of, wall_clock
from events.models import Event
from events.selectors import listing, people
from events.selectors import registrations as registration_selectors
from events.services import events as services
from events.services import registrations as registration_services
from events.states import EventState
from grants_office.calls.models import FundingProgramme
from grants_office.core.pages import perform

PAGE_SIZE = 25


class EventFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=gettext_lazy("When"),
        choices=[
            ("upcoming", gettext_lazy("Upcoming")),
            ("past", gettext_lazy("Past")),
            ("all", gettext_lazy("All")),
        ],
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[("", gettext_lazy("All")), *Event.Kind.choices], required=False
    )
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"), queryset=FundingProgramme.objects.all(), required=False
    )


@login_required
@require_GET
def event_list(request):
    filters = EventFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    rows = listing.event_list(
        request.user,
        kind=values.get("kind") or "",
        when=values.get("when") or "upcoming",
        programme=values.get("programme"),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = registration_selectors.my_live_registrations(request.user, [event.pk for event in page])
    rows = [(event, mine.get(event.pk)) for event in page]
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "manages": can.manages_events(request.user),
        "nav_active": "events",
    }
    return render(request, "events/list.html", context)


def _detail(request, event, *, status=200, register_form=None, problem=None):
    user = request.user
    manages = can.manages_events(user)
    options = people.registrable(user) if not manages else []
    if register_form is None and options and event.state == EventState.OPEN:
        register_form = RegisterForm(options=options)
    context = {
        "event": event,
        "sessions": list(event.sessions.all()),
        "seats": registration_selectors.seat_counts(event),
        "mine": listing.registrations_on_page(user, event),
        "register_form": register_form,
        "manages": manages,
        "moves": lifecycle.available(event, user) if manages else [],
        "history": lifecycle.history(event) if manages else [],
        "problem": problem,
        "nav_active": "events",
    }
    return render(request, "events/detail.html", context, status=status)


@login_required
@require_GET
def event_detail(request, pk):
    return _detail(request, listing.event_page(request.user, pk))


@login_required
@require_POST
def register(request, pk):
    event = listing.event_page(request.user, pk)
    form = RegisterForm(request.POST, options=people.registrable(request.user))
    if not form.is_valid():
        return _detail(request, event, status=400, register_form=form)
    outcome = perform(form, registration_services.register, request.user, event, **form.service_arguments())
    if outcome.ok:
        messages.success(request, outcome.result.get_state_display())
        return redirect(reverse("events:event", args=[event.pk]))
    return _detail(request, event, status=outcome.status, register_form=form, problem=outcome.problem)


def _ensure_manages(user) -> None:
    if not can.manages_events(user):
        raise PermissionDenied


def _editor(request, event=None):
    data = request.POST or None
    initial = EventForm.initial_of(event) if event else None
    form = EventForm(data, initial=initial)
    sessions_initial = None
    if event is not None:
        sessions_initial = [
            {
                "title": session.title,
                "starts_at": wall_clock(session.starts_at, event.time_zone),
                "ends_at": wall_clock(session.ends_at, event.time_zone),
            }
            for session in event.sessions.all()
        ]
    formset = SessionFormSet(data, initial=sessions_initial, prefix="sessions")
    return form, formset


def _save(request, form, formset, event=None):
    if not (form.is_valid() and formset.is_valid()):
        return None
    arguments = form.service_arguments()
    sessions = sessions_of(formset, arguments["time_zone"])
    if form.errors or any(f.errors for f in formset.forms):
        return None
    if event is None:
        return perform(form, services.create_event, request.user, sessions=sessions, **arguments)
    return perform(form, services.update_event, request.user, event, sessions=sessions, **arguments)


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request):
    _ensure_manages(request.user)
    form, formset = _editor(request)
    problem, status = None, 200
    if request.method == "POST":
        outcome = _save(request, form, formset)
        if outcome is not None and outcome.ok:
            messages.success(request, _("The event is saved as a draft."))
            return redirect(reverse("events:event", args=[outcome.result.pk]))
        problem, status = (outcome.problem, outcome.status) if outcome is not None else (None, 400)
    context = {"form": form, "formset": formset, "problem": problem, "nav_active": "events"}
    return render(request, "events/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    _ensure_manages(request.user)
    event = listing.event_page(request.user, pk)
    form, formset = _editor(request, event)
    problem, status = None, 200
    if request.method == "POST":
        outcome = _save(request, form, formset, event)
        if outcome is not None and outcome.ok:
            messages.success(request, _("The event is saved."))
            return redirect(reverse("events:event", args=[event.pk]))
        problem, status = (outcome.problem, outcome.status) if outcome is not None else (None, 400)
    context = {"form": form, "formset": formset, "event": event, "problem": problem, "nav_active": "events"}
    return render(request, "events/edit.html", context, status=status)


@login_required
@require_POST
def event_step(request, pk, name):
    """Run one step of the event's machine (open or close registration, mark held, cancel, ...)."""
    event = listing.event_page(request.user, pk)
    comment = request.POST.get("comment", "")[:4000]
    reason = request.POST.get("reason", "")[:4000]
    outcome = perform(
        None, services.transition_event, request.user, event, name, comment=comment, reason=reason
    )
    if outcome.ok:
        messages.success(request, outcome.result.get_state_display())
        return redirect(reverse("events:event", args=[event.pk]))
    return _detail(
        request, listing.event_page(request.user, pk), status=outcome.status, problem=outcome.problem
    )
