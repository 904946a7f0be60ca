"""Builders for the expert review and discussion tests: a development agency's rubric, experts, a
proposal's application form, and assignments accepted and reviews submitted through the services."""

from __future__ import annotations

from decimal import Decimal

import factory

from documents.models import Document, DocumentSet, DocumentVersion
from grants_office.calls.models import Criterion, DocumentKind, Rubric
from tests.factories.members import ExpertProfileFactory, UserFactory
from workflows.review import services
from workflows.states import AssignmentState


def agency_rubric(**kwargs) -> Rubric:
    """A development agency's 100-point rubric: three weighted criteria, pass mark 65 on the total."""
    rubric = Rubric.objects.create(
        name=kwargs.pop("name", "Kalkınma Ajansı mali destek"), overall_threshold=Decimal(65), **kwargs
    )
    for position, (code, title, weight) in enumerate(
        [
            ("relevance", "Relevance", "0.30"),
            ("methodology", "Methodology", "0.40"),
            ("sustainability", "Sustainability", "0.30"),
        ]
    ):
        Criterion.objects.create(
            rubric=rubric,
            code=code,
            title=title,
            position=position,
            scale_min=0,
            scale_max=100,
            step=1,
            threshold=None,
            weight=Decimal(weight),
        )
    return rubric


class ExpertFactory(ExpertProfileFactory):
    """An active expert with a full name, optionally with expertise themes and an affiliation."""

    user = factory.SubFactory(UserFactory, username=factory.Sequence(lambda n: f"expert{n}"))


def expert(themes=(), **kwargs):
    return ExpertFactory(themes=list(themes), **kwargs).user


def proposal_set_with_version(
    proposal, *, uploaded_by, title="Application form", number=1
) -> DocumentVersion:
    """Give the proposal a document set (if it has none) holding one document with `number` versions."""
    if proposal.document_set_id is None:
        document_set = DocumentSet.objects.create(purpose=DocumentSet.Purpose.PROPOSAL, title=proposal.title)
        type(proposal).objects.filter(pk=proposal.pk).update(document_set=document_set)
        proposal.document_set = document_set
    document = Document.objects.create(
        set=proposal.document_set, kind=DocumentKind.APPLICATION_FORM, title=title, created_by=uploaded_by
    )
    version = None
    for n in range(1, number + 1):
        version = DocumentVersion.objects.create(
            document=document,
            number=n,
            storage_key=f"documents/{document.pk}/{n}",
            original_filename=f"{title}.pdf",
            size=1000 + n,
            content_type="application/pdf",
            sha256=f"{document.pk:032d}{n:032d}",
            uploaded_by=uploaded_by,
        )
    return version


def accepted(assignment, reviewer=None):
    return services.transition_assignment(
        assignment,
        "accept",
        reviewer or assignment.reviewer,
        declaration="I have no link with the applicants or their partners.",
        no_conflict=True,
    )


def submitted(assignment, scores: dict, recommendation="revise", comment=""):
    """Accept (if needed), score every criterion and submit."""
    if assignment.state == AssignmentState.INVITED:
        assignment = accepted(assignment)
    return services.save_review(
        assignment,
        assignment.reviewer,
        scores={code: {"score": str(score), "comment": f"{code} comment"} for code, score in scores.items()},
        recommendation=recommendation,
        comment=comment,
        submit=True,
    )
