"""The person's work on proposals: what they created, wrote, reviewed, uploaded and downloaded."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentVersion, DownloadLog
from privacy.holdings.section import Section, row
from workflows.models import Comment, CommentRevision, Consultation, Mention, Proposal, ReviewAssignment


def _proposal(proposal: Proposal, _person=None) -> dict:
    return row(
        id=proposal.pk,
        title=proposal.title,
        acronym=proposal.acronym,
        summary=proposal.summary,
        state=proposal.get_state_display(),
        lead=str(proposal.lead),
        call=proposal.call.title if proposal.call_id else None,
        requested_amount=proposal.requested_amount,
        total_budget=proposal.total_budget,
        currency=proposal.currency,
        created=proposal.created_at,
        submitted=proposal.submitted_at,
        decided_on=proposal.decided_on,
        deleted=proposal.deleted_at,
    )


def _consultations(user):
    present = Q(created_by=user) | Q(office_experts=user) | Q(team_participants=user)
    keys = Consultation.objects.filter(present).values("pk")
    return (
        Consultation.objects.filter(pk__in=keys)
        .select_related("proposal")
        .prefetch_related("office_experts", "team_participants")
        .order_by("held_at", "id")
    )


def _consultation(consultation: Consultation, user) -> dict:
    """Where the person was present; the notes only if they wrote them."""
    wrote = consultation.created_by_id == user.pk
    return row(
        proposal=consultation.proposal.title,
        held_at=consultation.held_at,
        as_office_expert=user in consultation.office_experts.all(),
        as_team_member=user in consultation.team_participants.all(),
        recorded_by_you=wrote,
        notes=consultation.notes if wrote else None,
        agreed_actions=consultation.agreed_actions if wrote else None,
    )


def _comment(comment: Comment, _person=None) -> dict:
    return row(
        proposal=comment.proposal.title,
        visibility=comment.get_visibility_display(),
        body=comment.body,
        written=comment.created_at,
        edited=comment.edited_at,
        resolved=comment.resolved_at,
        earlier_texts=[
            row(body=revision.body, until=revision.edited_at) for revision in comment.own_revisions
        ],
    )


def _comments(user):
    own = CommentRevision.objects.filter(edited_by=user).order_by("edited_at", "id")
    return (
        Comment.objects.filter(author=user)
        .select_related("proposal")
        .prefetch_related(Prefetch("revisions", queryset=own, to_attr="own_revisions"))
        .order_by("created_at", "id")
    )


def _assignment(assignment: ReviewAssignment, _person=None) -> dict:
    review = getattr(assignment, "review", None)
    return row(
        proposal=assignment.round.proposal.title,
        state=assignment.get_state_display(),
        invited=assignment.invited_at,
        due=assignment.due_at,
        declaration=assignment.declaration,
        declared_no_conflict=assignment.declared_no_conflict,
        declared=assignment.declared_at,
        review=None
        if review is None
        else row(
            recommendation=review.get_recommendation_display(),
            comment=review.comment,
            submitted=review.submitted_at,
            scores=[
                row(criterion=score.criterion.title, score=score.score, comment=score.comment)
                for score in review.scores.all()
            ],
        ),
    )


def upload_path(version: DocumentVersion) -> str:
    """Where the version's file sits in the ZIP: one folder per version, the name as uploaded."""
    return f"files/{version.pk}/{version.original_filename}"


def _upload(version: DocumentVersion, _person=None) -> dict:
    return row(
        document=version.document.title,
        kind=version.document.get_kind_display(),
        version=version.number,
        filename=version.original_filename,
        size=version.size,
        content_type=version.content_type,
        sha256=version.sha256,
        uploaded=version.uploaded_at,
        note=version.note,
        file=upload_path(version),
    )


def uploads(user):
    return (
        DocumentVersion.objects.filter(uploaded_by=user)
        .select_related("document")
        .order_by("uploaded_at", "id")
    )


SECTIONS = [
    Section(
        "proposals",
        _("Proposals registered"),
        lambda user: Proposal.objects.filter(created_by=user).select_related("lead", "call").order_by("id"),
        _proposal,
    ),
    Section("consultations", _("Consultations"), _consultations, _consultation),
    Section("comments", _("Comments"), _comments, _comment),
    Section(
        "mentions",
        _("Comments mentioning the person"),
        lambda user: Mention.objects.filter(user=user).select_related("comment__proposal").order_by("id"),
        lambda mention, _person: row(
            proposal=mention.comment.proposal.title, written=mention.comment.created_at
        ),
    ),
    Section(
        "reviews",
        _("Expert reviews"),
        lambda user: (
            ReviewAssignment.objects.filter(reviewer=user)
            .select_related("round__proposal", "review")
            .prefetch_related("review__scores__criterion")
            .order_by("invited_at", "id")
        ),
        _assignment,
    ),
    Section("uploads", _("Files uploaded"), uploads, _upload),
    Section(
        "downloads",
        _("Files downloaded"),
        lambda user: (
            DownloadLog.objects.filter(user=user).select_related("version__document").order_by("at", "id")
        ),
        lambda log, _person: row(
            at=log.at,
            document=log.version.document.title,
            version=log.version.number,
            filename=log.version.original_filename,
        ),
    ),
]
