"""What the sections of the proposal page share: finding the proposal, running an action, answering.

A section action is a few lines: find the proposal (404 if unseen), validate the form, `perform` the
service, `answer`. The domain errors reach the page in one place: `Invalid` becomes the form's errors
(400), `Conflict` the reasons shown in the section (409), and `NotFound` propagates to
`grants_office.core.middleware.DomainErrorMiddleware` (the 404 page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from grants_office.core.errors import Conflict, Invalid
from workflows import selectors


def visible_proposal(request, pk, *, select_related=(), prefetch_related=()):
    """The proposal if this person sees it, else 404 (the proposal page's question), loading only what
    the section reads."""
    proposals = (
        selectors.proposals_visible_to(request.user)
        .select_related(None)
        .prefetch_related(None)
        .select_related(*select_related)
        .prefetch_related(*prefetch_related)
    )
    return get_object_or_404(proposals, pk=pk)


@dataclass
class Outcome:
    """What a section action came to: 200 with the service's result, 400 (the form now carries the
    errors) or 409 with the `Conflict` to show."""

    status: int
    result: Any = None
    problem: Conflict | Invalid | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


def add_errors(form, error: Invalid) -> None:
    """The service's field errors on the form; a field the form does not have goes to the top."""
    for field, problems in error.fields.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)
    if error.message and not error.fields:
        form.add_error(None, error.message)


def perform(form, action, *args, **kwargs) -> Outcome:
    """Run a service for a section action. `form` (may be None) receives the errors of `Invalid`;
    without a form the `Invalid` itself is the problem shown."""
    try:
        return Outcome(200, result=action(*args, **kwargs))
    except Invalid as error:
        if form is None:
            return Outcome(400, problem=error)
        add_errors(form, error)
        return Outcome(400)
    except Conflict as error:
        return Outcome(409, problem=error)


def answer(request, proposal, context, *, status, section_template, page_template, anchor):
    """htmx: the section, swapped in place (400 with the form's errors, 409 with the reason);
    otherwise back to the proposal page, or a page of its own when there is something to correct."""
    if request.htmx:
        return render(request, section_template, context, status=status)
    if status == 200:
        return redirect(reverse("workflows:proposal", args=[proposal.pk]) + f"#{anchor}")
    return render(request, page_template, context, status=status)
