"""Document sets, documents and versions (rows only: no stored bytes)."""

import hashlib

import factory

from documents.models import Document, DocumentSet, DocumentVersion
from grants_office.calls.models import DocumentKind
from tests.factories.members import UserFactory


class ProposalSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentSet

    purpose = DocumentSet.Purpose.PROPOSAL
    title = factory.Sequence(lambda n: f"Proposal set {n}")


class LibrarySetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentSet
        skip_postgeneration_save = True

    purpose = DocumentSet.Purpose.LIBRARY
    title = factory.Sequence(lambda n: f"Rehber {n}")
    audience = DocumentSet.Audience.ALL_MEMBERS

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    set = factory.SubFactory(ProposalSetFactory)
    kind = DocumentKind.BUDGET
    title = factory.Sequence(lambda n: f"Document {n}")


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    storage_key = factory.Sequence(lambda n: f"documents/test/{n}")
    original_filename = "Bütçe.pdf"
    size = 42
    content_type = "application/pdf"
    sha256 = factory.Sequence(lambda n: hashlib.sha256(str(n).encode()).hexdigest())
    uploaded_by = factory.SubFactory(UserFactory)
