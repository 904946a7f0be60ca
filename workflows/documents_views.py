"""The documents section of the proposal page: versions, the call's checklist, uploads and new slots.

The bytes never pass through these views. `core/upload.js` asks the documents API for a signed upload,
sends the file straight to storage (S3, or our own signed endpoint in embedded mode), completes it
through the API and then asks `section` for the refreshed section. These views render the section and
add document slots (through `documents.services.create_document`); who may change what, and when, is
the documents owner policy's answer (`workflows/document_policy.py`), shown next to each document.

Included from workflows/urls.py: names are `workflows:documents` and `workflows:document-add`.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from documents import conf as document_conf
from documents import owners
from documents import selectors as document_selectors
from documents import services as document_services
from grants_office.calls.models import DocumentKind
from grants_office.core.errors import Conflict, Invalid, NotFound
from workflows import sections
from workflows.conditions import required_kinds
from workflows.document_policy import (
    AFTER_SUBMISSION_KINDS,
    changes_hint,
    document_set_for,
    open_for_resubmission,
)
from workflows.states import State

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


def _offered_kinds(proposal, user) -> list[str]:
    """The kinds this person may add now: the call's checklist (every kind without a call) while the
    proposal is prepared, and also what the funder sends back while a submission may still be corrected;
    only what the funder sends back once the deadline passed."""
    if proposal.state in State.AFTER_SUBMISSION and not open_for_resubmission(proposal):
        kinds = [str(kind) for kind in AFTER_SUBMISSION_KINDS]
    else:
        checklist = [item.document_kind for item in proposal.call.checklist.all()] if proposal.call_id else []
        kinds = checklist or [kind for kind in DocumentKind.values if kind not in AFTER_SUBMISSION_KINDS]
        if proposal.state in State.AFTER_SUBMISSION:
            kinds = [*kinds, *(str(kind) for kind in AFTER_SUBMISSION_KINDS)]
    document_set = proposal.document_set
    ordered = [kind for kind in DocumentKind.values if kind in kinds]
    if document_set is None:
        return ordered
    return [kind for kind in ordered if owners.change_blocked(user, document_set, kind) is None]


def section_context(
    request, proposal, *, add_form=None, problem=None, notice: str = "", uploaded: str = ""
) -> dict:
    """Everything the documents section shows this person: documents with their versions, the
    checklist, and for each document whether they may upload a new version now (else why not)."""
    user = request.user
    document_set = proposal.document_set
    documents = list(document_selectors.documents_of(document_set))
    present = {document.kind for document in documents if document.versions.all()}
    checklist = [
        {"kind": kind, "label": DocumentKind(kind).label, "present": kind in present}
        for kind in required_kinds(proposal)
    ]
    blocked_by_kind: dict[str, object] = {}
    for document in documents:
        if document.kind not in blocked_by_kind:
            blocked_by_kind[document.kind] = (
                owners.change_blocked(user, document_set, document.kind) if document_set else None
            )
        document.blocked = blocked_by_kind[document.kind]
        document.upload_url = reverse("documents:document-uploads", args=[document.pk])
        for version in document.versions.all():
            version.download_url = reverse("documents:version-download", args=[version.pk])
            if uploaded and str(version.pk) == uploaded:
                notice = _("“%(file)s” is now version %(number)d of “%(document)s”.") % {
                    "file": version.original_filename,
                    "number": version.number,
                    "document": document.title,
                }
    allowed = set(document_conf.allowed_content_types())
    types = {extension: kind for extension, kind in CONTENT_TYPES.items() if kind in allowed}
    kinds = _offered_kinds(proposal, user)
    if add_form is None and kinds:
        # the first kind the call asks for that has no document yet
        have = {document.kind for document in documents}
        add_form = DocumentSlotForm(
            kinds=kinds, initial={"kind": next((k for k in kinds if k not in have), "")}
        )
    # Why nothing (or, once submitted, only what the funder sends) can be changed, for those on the
    # proposal's side (partners and reviewers only read); until when a submission may be corrected.
    hint = changes_hint(user, proposal)
    locked = None
    if (
        hint["reason"] is not None
        and hint["reason"].code != "not_permitted"
        and (
            proposal.state in State.AFTER_SUBMISSION
            or (not kinds and not any(d.blocked is None for d in documents))
        )
    ):
        locked = hint["reason"]
    return {
        "documents_section": {
            "proposal": proposal,
            "documents": documents,
            "checklist": checklist,
            "missing": [item["label"] for item in checklist if not item["present"]],
            "may_upload": any(document.blocked is None for document in documents),
            "add_form": add_form,
            "locked": locked,
            "resubmission_open": hint["resubmission_open"],
            "resubmission_until": proposal.deadline_display() if hint["resubmission_open"] else "",
            "problem": problem,
            "notice": notice,
            "accept": ",".join(f".{extension}" for extension in types),
            "types_json": json.dumps(types),
            "max_size": document_conf.max_upload_size(),
            "max_megabytes": document_conf.max_upload_size() // (1024 * 1024),
            "section_url": reverse("workflows:documents", args=[proposal.pk]),
            "placeholder_id": PLACEHOLDER_ID,
            "complete_url": reverse("documents:upload-complete", args=[PLACEHOLDER_ID]),
        }
    }


def _answer(request, proposal, *, status=200, **kwargs):
    return sections.answer(
        request,
        proposal,
        section_context(request, proposal, **kwargs),
        status=status,
        section_template="workflows/includes/documents_section.html",
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
    return render(request, "workflows/includes/documents_section.html", context)


@login_required
@require_POST
def add_document(request, pk):
    """Add a document slot to the proposal; its content then comes as versions."""
    proposal = _proposal(request, pk)
    form = DocumentSlotForm(request.POST, kinds=_offered_kinds(proposal, request.user))
    if not form.is_valid():
        return _answer(request, proposal, status=400, add_form=form)
    try:
        document = document_services.create_document(
            document_set_for(proposal),
            request.user,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
        )
    except NotFound:
        raise Http404 from None
    except Invalid as error:
        for field, problems in error.fields.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        return _answer(request, proposal, status=400, add_form=form)
    except Conflict as error:
        return _answer(request, proposal, status=409, problem=error)
    notice = _("“%(document)s” is added; upload its first version.") % {"document": document}
    if not request.htmx:
        messages.success(request, notice)
    return _answer(request, proposal, notice=notice)


urlpatterns = [
    path("proposals/<int:pk>/documents/", section, name="documents"),
    path("proposals/<int:pk>/documents/add/", add_document, name="document-add"),
]
