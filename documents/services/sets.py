"""Document sets and their documents (the slots, e.g. "Budget", whose content comes as versions)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from documents import owners
from documents.models import Document, DocumentSet
from documents.permissions import can_manage_library
from grants_office.calls.models import DocumentKind
from grants_office.core.errors import Conflict, Invalid, Reason


def create_proposal_set(title: str = "") -> DocumentSet:
    """The (empty) document set a new proposal owns."""
    return DocumentSet.objects.create(purpose=DocumentSet.Purpose.PROPOSAL, title=title[:300])


def create_library_set(
    user, *, title: str, audience: str, municipalities=(), description: str = ""
) -> DocumentSet:
    """The office opens a library set for all members or for chosen municipalities."""
    if not can_manage_library(user):
        raise Conflict(
            _("Only the office changes the library."),
            reasons=[Reason("not_permitted", _("Only the office changes the library."))],
        )
    errors = {}
    if not title or not title.strip():
        errors["title"] = [_("A title is required.")]
    if audience not in DocumentSet.Audience.values:
        errors["audience"] = [_("Choose all members or chosen municipalities.")]
    elif audience == DocumentSet.Audience.CHOSEN and not municipalities:
        errors["municipalities"] = [_("Choose at least one municipality.")]
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)
    with transaction.atomic():
        document_set = DocumentSet.objects.create(
            purpose=DocumentSet.Purpose.LIBRARY,
            title=title.strip(),
            description=description,
            audience=audience,
            created_by=user,
        )
        if audience == DocumentSet.Audience.CHOSEN:
            document_set.municipalities.set(municipalities)
    return document_set


def create_document(document_set: DocumentSet, user, *, kind: str = "", title: str = "") -> Document:
    """Add a slot (e.g. "Budget") to a set; its content comes as versions."""
    owners.ensure_visible(user, document_set)
    errors = {}
    if kind and kind not in DocumentKind.values:
        errors["kind"] = [_("Unknown document kind.")]
    if not kind and document_set.purpose == DocumentSet.Purpose.PROPOSAL:
        errors["kind"] = [_("Choose the kind of document.")]
    title = (title or "").strip() or (str(DocumentKind(kind).label) if kind in DocumentKind.values else "")
    if not title:
        errors["title"] = [_("A title is required.")]
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)
    owners.ensure_may_change(user, document_set, kind)
    return Document.objects.create(set=document_set, kind=kind, title=title[:300], created_by=user)
