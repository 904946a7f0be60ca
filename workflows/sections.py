"""How a section of the proposal page answers an action (documents, consultations)."""

from django.shortcuts import redirect, render
from django.urls import reverse


def answer(request, proposal, context, *, status, section_template, page_template, anchor):
    """htmx: the section, swapped in place (400 with the form's errors, 409 with the reason);
    otherwise back to the proposal page, or a page of its own when there is something to correct."""
    if request.htmx:
        return render(request, section_template, context, status=status)
    if status == 200:
        return redirect(reverse("workflows:proposal", args=[proposal.pk]) + f"#{anchor}")
    return render(request, page_template, context, status=status)
