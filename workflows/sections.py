"""What the sections of the proposal page share: finding the proposal, running an action, answering.

A section action is a few lines: find the proposal (404 if unseen), validate the form, `perform` the
service (`grants_office.core.pages.perform`), `answer`. The domain errors reach the page in one place:
`Invalid` becomes the form's errors (400), `Conflict` the reasons shown in the section (409), and
`NotFound` propagates to `grants_office.core.middleware.DomainErrorMiddleware` (the 404 page).
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse

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
    return selectors.visible_proposal(request.user, pk, proposals)


def answer(request, proposal, context, *, status, section_template, page_template, anchor):
    """htmx: the section, swapped in place (400 with the form's errors, 409 with the reason);
    otherwise back to the proposal page, or a page of its own when there is something to correct."""
    if request.htmx:
        return render(request, section_template, context, status=status)
    if status == 200:
        return redirect(reverse("workflows:proposal", args=[proposal.pk]) + f"#{anchor}")
    return render(request, page_template, context, status=status)
