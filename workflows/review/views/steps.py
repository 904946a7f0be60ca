"""What the actions of the review pages share: running the service with its errors next to the form's
own fields, and loading the page again after a step that changes more than its part of the page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from grants_office.core.pages import Outcome, perform


def perform_with_form(form, action, *args, **kwargs) -> Outcome:
    """`perform` for the review forms, which put a service's errors next to their own fields
    (`add_service_errors`: the service's `scores.<code>` is the form's `score-<code>`)."""
    outcome = perform(None, action, *args, **kwargs)
    if outcome.status == 400 and form is not None:
        form.add_service_errors(outcome.problem)
        return Outcome(400)
    return outcome


def done(request, url: str, message: str, anchor: str = ""):
    """After a step that changes more than the part of the page it came from: load the page again.
    (htmx gets the address without the anchor: a change of anchor alone would not reload the page.)"""
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url + anchor)
