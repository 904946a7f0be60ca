"""The documents section of the proposal page: versions, the call's checklist, uploads and new slots.

The bytes never pass through these views. `core/upload.js` asks the documents API for a signed upload,
sends the file straight to storage (S3, or our own signed endpoint in embedded mode), completes it
through the API and then asks `section` for the refreshed section. These views render the section and
add document slots (through `documents.services.create_document`); who may change what, and when, is
the documents owner policy's answer (`workflows/document_policy.py`), shown next to each document.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from documents import conf as document_conf
from documents import services as document_services
from grants_office.calls.models import DocumentKind
from grants_office.core.pages import perform
from workflows import sections, selectors
from workflows.document_policy import document_set_for

# The content type upload.js announces for a file name's extension (browsers report some types
# differently, e.g. text/csv as application/vnd.ms-excel on Windows); the server then checks the bytes
# (documents.sniff). The file input offers these extensions first.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "zip": "application/zip",
    "txt": "text/plain",
    "csv": "text/csv",
}
# upload.js puts the id of the signed upload in place of this one in the complete URL.
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


class DocumentSlotForm(forms.Form):
    """A new document of the proposal: its kind (from the call's checklist) and an optional title."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of document"), choices=())
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Leave empty to use the kind, e.g. “Budget”."),
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        """`kinds`: what the select offers; any known kind validates, so a kind that is not allowed
        now reaches the service and is refused with its reason (409), not as a bad choice."""
        kwargs.setdefault("auto_id", "id_document_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        field.choices = DocumentKind.choices
        field.widget.choices = [(kind, DocumentKind(kind).label) for kind in kinds]


def _proposal(request, pk):
    return sections.visible_proposal(
        request, pk, select_related=("call", "document_set"), prefetch_related=("call__checklist",)
    )


def _version_links(documents, uploaded: str) -> str:
    """Each document's upload URL and each version's download URL; the notice for a version just
    uploaded (`uploaded` names it), else empty."""
    notice = ""
    for document in documents:
        document.upload_url = reverse("documents:document-uploads", args=[document.pk])
        for version in document.versions.all():
            version.download_url = reverse("documents:version-download", args=[version.pk])
            if uploaded and str(version.pk) == uploaded:
                notice = _("“%(file)s” is now version %(number)d of “%(document)s”.") % {
                    "file": version.original_filename,
                    "number": version.number,
                    "document": document.title,
                }
    return notice


def _upload_settings() -> dict:
    """What upload.js needs: the accepted extensions and their content types, and the size limit."""
    allowed = set(document_conf.allowed_content_types())
    types = {extension: kind for extension, kind in CONTENT_TYPES.items() if kind in allowed}
    return {
        "accept": ",".join(f".{extension}" for extension in types),
        "types_json": json.dumps(types),
        "max_size": document_conf.max_upload_size(),
        "max_megabytes": document_conf.max_upload_size() // (1024 * 1024),
        "placeholder_id": PLACEHOLDER_ID,
        "complete_url": reverse("documents:upload-complete", args=[PLACEHOLDER_ID]),
    }


def section_context(
    request, proposal, *, add_form=None, problem=None, notice: str = "", uploaded: str = ""
) -> dict:
    """Everything the documents section shows this person (`selectors.documents_section`), with the
    links, the form for a new document and what upload.js needs."""
    section = selectors.documents_section(request.user, proposal)
    notice = _version_links(section.documents, uploaded) or notice
    kinds = section.offered_kinds
    if add_form is None and kinds:
        # the first kind the call asks for that has no document yet
        have = {document.kind for document in section.documents}
        add_form = DocumentSlotForm(
            kinds=kinds, initial={"kind": next((k for k in kinds if k not in have), "")}
        )
    return {
        "documents_section": {
            "proposal": proposal,
            "documents": section.documents,
            "checklist": section.checklist,
            "missing": section.missing,
            "may_upload": section.may_upload,
            "add_form": add_form,
            "locked": section.locked,
            "resubmission_open": section.resubmission_open,
            "resubmission_until": proposal.deadline_display() if section.resubmission_open else "",
            "problem": problem,
            "notice": notice,
            "section_url": reverse("workflows:documents", args=[proposal.pk]),
            **_upload_settings(),
        }
    }


def _answer(request, proposal, *, status=200, **kwargs):
    return sections.answer(
        request,
        proposal,
        section_context(request, proposal, **kwargs),
        status=status,
        section_template="workflows/documents/section.html",
        page_template="workflows/documents/page.html",
        anchor="documents",
    )


@login_required
@require_GET
def section(request, pk):
    """Just the documents section (htmx refreshes it after an upload; `uploaded` names the version)."""
    proposal = _proposal(request, pk)
    uploaded = request.GET.get("uploaded", "")
    context = section_context(request, proposal, uploaded=uploaded if uploaded.isdigit() else "")
    return render(request, "workflows/documents/section.html", context)


@login_required
@require_POST
def add_document(request, pk):
    """Add a document slot to the proposal; its content then comes as versions."""
    proposal = _proposal(request, pk)
    form = DocumentSlotForm(request.POST, kinds=selectors.offered_document_kinds(proposal, request.user))
    if not form.is_valid():
        return _answer(request, proposal, status=400, add_form=form)
    outcome = perform(
        form,
        document_services.create_document,
        document_set_for(proposal),
        request.user,
        kind=form.cleaned_data["kind"],
        title=form.cleaned_data["title"],
    )
    if not outcome.ok:
        bound = form if outcome.status == 400 else None  # a refusal (409) offers a fresh form, as before
        return _answer(request, proposal, status=outcome.status, add_form=bound, problem=outcome.problem)
    document = outcome.result
    notice = _("“%(document)s” is added; upload its first version.") % {"document": document}
    if not request.htmx:
        messages.success(request, notice)
    return _answer(request, proposal, notice=notice)
