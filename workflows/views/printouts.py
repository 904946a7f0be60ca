"""Printouts made on the server: the proposal's summary as a PDF, for the union's council, the mayor or
the funder's contact (`/proposals/<id>/summary.pdf`), and the helper every PDF of the app answers with.

The summary holds only what the reader sees on the proposal page: whoever may not see the proposal gets
404 (`selectors.visible_proposal`; a reviewer only past the conflict-of-interest gate), and nothing of
the discussion or the review is in it. Consultations are listed for everyone who sees the page, as the
page's consultations section is. Typeset by `grants_office.core.pdf` in the reader's language and zone.
"""

from __future__ import annotations

import re
import unicodedata

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from documents import selectors as document_selectors
from grants_office.core.pdf import pdf_page
from workflows import history as proposal_history
from workflows import lifecycle, selectors
from workflows.states import State

SUMMARY_TEMPLATE = "workflows/printouts/summary.html"
# Turkish letters that do not decompose into an ASCII letter and a mark.
ASCII_LETTERS = str.maketrans({"ı": "i", "İ": "I"})


def file_stem(proposal) -> str:
    """The proposal in a file name: its acronym in ASCII letters, digits and dashes, else its id."""
    folded = unicodedata.normalize("NFKD", (proposal.acronym or "").translate(ASCII_LETTERS))
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", folded.encode("ascii", "ignore").decode()).strip("-")
    return stem or str(proposal.pk)


def _decision(history: list[dict]) -> dict | None:
    """The funder's latest decision as the history records it (the state may have moved on since)."""
    names = lifecycle.decision_names()
    decisions = [entry for entry in history if entry["name"] in names]
    return decisions[-1] if decisions else None


def summary_context(proposal) -> dict:
    history = proposal_history.transitions(proposal)
    versions = document_selectors.latest_versions(proposal.document_set).order_by(
        "document__kind", "document__title", "document_id"
    )
    return {
        "proposal": proposal,
        "state_label": State(proposal.state).label,
        "partners": list(proposal.partners.all()),
        "submission": selectors.submissions(proposal).prefetch_related(None).first(),
        "decision": _decision(history),
        "versions": list(versions),
        # the page's consultations section lists them for everyone who sees the proposal
        "consultations": list(selectors.consultations(proposal).prefetch_related(None)),
        "history": history,
    }


@login_required
@require_GET
def summary_pdf(request, pk):
    """The proposal on paper: its facts, money, submission, decision, documents, consultations and
    history, as the reader sees them on the proposal page."""
    proposals = selectors.proposals_visible_to(request.user).select_related("document_set")
    proposal = selectors.visible_proposal(request.user, pk, proposals)
    return pdf_page(
        request, SUMMARY_TEMPLATE, summary_context(proposal), f"{file_stem(proposal)}-summary.pdf"
    )
