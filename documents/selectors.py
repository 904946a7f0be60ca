"""Read queries for documents: each list is one query (plus fixed prefetches), never one per row."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _

from documents import owners
from documents.library import visible_library_sets
from documents.models import Document, DocumentSet, DocumentVersion
from grants_office.core.errors import NotFound
from grants_office.core.people import signed_in


def versions_newest_first() -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.select_related("uploaded_by").order_by("-number")


def documents_of(document_set: DocumentSet | None) -> QuerySet[Document]:
    """The set's documents with all their versions, newest first (two queries whatever the size)."""
    if document_set is None:
        return Document.objects.none()
    return (
        Document.objects.filter(set=document_set)
        .prefetch_related(Prefetch("versions", queryset=versions_newest_first()))
        .order_by("kind", "title", "id")
    )


def present_kinds(document_set: DocumentSet | None) -> set[str]:
    """The kinds that have at least one version in the set (one query)."""
    if document_set is None:
        return set()
    return set(
        Document.objects.filter(set=document_set, versions__isnull=False)
        .order_by()  # Meta.ordering would join the set and widen the DISTINCT
        .values_list("kind", flat=True)
        .distinct()
    )


def latest_versions(document_set: DocumentSet | None) -> QuerySet[DocumentVersion]:
    """The newest version of every document in the set (one query)."""
    if document_set is None:
        return DocumentVersion.objects.none()
    newer = DocumentVersion.objects.filter(document=OuterRef("document"), number__gt=OuterRef("number"))
    return (
        DocumentVersion.objects.filter(document__set=document_set)
        .exclude(Exists(newer))
        .select_related("document")
        .order_by("document_id")
    )


def library_sets_visible_to(user) -> QuerySet[DocumentSet]:
    sets = DocumentSet.objects.filter(purpose=DocumentSet.Purpose.LIBRARY).prefetch_related("municipalities")
    if not signed_in(user):
        return sets.none()
    return visible_library_sets(user, sets).order_by("title", "id")


def document_for(user, pk) -> Document:
    """A document this user may see, or NotFound (also for documents that exist but are not theirs)."""
    document = Document.objects.select_related("set").filter(pk=pk).first()
    if document is None:
        raise NotFound(_("Not found."))
    owners.ensure_visible(user, document.set)
    return document


def version_for(user, pk) -> DocumentVersion:
    version = DocumentVersion.objects.select_related("document__set").filter(pk=pk).first()
    if version is None:
        raise NotFound(_("Not found."))
    owners.ensure_visible(user, version.document.set)
    return version
