"""Where the lifecycle meets the documents app: who may touch a proposal's documents and when, the
checklist condition, and the freeze at submission.

`documents` knows nothing about proposals; this module tells it, by registering the owner policy of
proposal document sets (from WorkflowsConfig.ready).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from grants_office.calls.models import DocumentKind
from grants_office.core.errors import Reason
from workflows import permissions as can

# Documents are prepared until submission; stage 2 is prepared again.
UPLOAD_STATES = {"idea", "consultation", "drafting", "in_review", "ready", "invited_stage2"}
# After submission the set that went to the funder stays as it was; only what the funder sends back
# may still be added.
SUBMITTED_STATES = {"submitted", "reserve", "awarded", "rejected", "ineligible"}
AFTER_SUBMISSION_KINDS = {DocumentKind.FUNDER_RECEIPT, DocumentKind.EVALUATION_REPORT}


def _proposal(document_set):
    """The proposal owning the set: the locked row inside a change, the cached one otherwise."""
    locked = document_set.__dict__.get("_locked_proposal")
    if locked is not None:
        return locked
    from workflows.models import Proposal

    try:
        return document_set.proposal
    except Proposal.DoesNotExist:
        return None


class ProposalDocumentsPolicy:
    """Whoever sees the proposal reads its documents; the office and the lead team change them while
    the proposal is prepared; after submission only the funder's receipt and evaluation report."""

    def can_view(self, user, document_set) -> bool:
        proposal = _proposal(document_set)
        return proposal is not None and proposal.deleted_at is None and can.can_view(user, proposal)

    def can_change(self, user, document_set, kind: str) -> Reason | None:
        from workflows.models import State

        proposal = _proposal(document_set)
        if proposal is None or not (can.office(proposal, user) or can.on_lead_team(proposal, user)):
            return Reason(
                "not_permitted", _("Only the office and the lead team change a proposal's documents.")
            )
        if proposal.state in UPLOAD_STATES:
            return None
        if proposal.state in SUBMITTED_STATES:
            if kind in AFTER_SUBMISSION_KINDS:
                return None
            return Reason(
                "documents_locked",
                _(
                    "Documents lock at submission: only the funder's receipt and the evaluation report "
                    "may still be added."
                ),
            )
        return Reason(
            "proposal_closed",
            _("The proposal is %(state)s: its documents no longer change.")
            % {"state": State(proposal.state).label},
        )

    def lock_owner(self, document_set) -> None:
        from workflows.models import Proposal

        document_set.__dict__["_locked_proposal"] = (
            Proposal.objects.select_for_update().filter(document_set=document_set).first()
        )


def register_documents_policy() -> None:
    from documents import owners
    from documents.models import DocumentSet

    owners.register(DocumentSet.Purpose.PROPOSAL, ProposalDocumentsPolicy())


def document_set_for(proposal):
    """The proposal's document set, created on first use for proposals made before sets existed."""
    if proposal.document_set_id is not None:
        return proposal.document_set
    from documents.services import create_proposal_set
    from workflows.models import Proposal

    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.document_set_id is None:
            document_set = create_proposal_set(locked.title)
            Proposal.objects.filter(pk=locked.pk).update(document_set=document_set)
        else:
            document_set = locked.document_set
    proposal.document_set = document_set
    return document_set


def required_kinds(proposal) -> list[str]:
    if proposal.call_id is None:
        return []
    return [item.document_kind for item in proposal.call.checklist.all() if item.required]


def missing_required_kinds(proposal) -> list[str]:
    """Labels of the document kinds the call requires that have no version yet, in checklist order."""
    required = required_kinds(proposal)
    if not required:
        return []
    from documents.selectors import present_kinds

    present = present_kinds(proposal.document_set)
    return [DocumentKind(kind).label for kind in required if kind not in present]


def freeze_submitted_versions(submission) -> None:
    """Record the latest version of every document: later uploads never change what was submitted."""
    from documents.selectors import latest_versions

    submission.versions.set(latest_versions(submission.proposal.document_set))
