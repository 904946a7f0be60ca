"""Where the lifecycle meets the documents app: who may touch a proposal's documents and when, the
set a proposal owns, and the freeze at submission (the checklist is a condition: `conditions.py`).

`documents` knows nothing about proposals; this module tells it, by registering the owner policy of
proposal document sets (from WorkflowsConfig.ready).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import owners
from documents.models import DocumentSet
from documents.selectors import latest_versions
from documents.services import create_proposal_set
from grants_office.calls.models import DocumentKind
from grants_office.core.errors import Reason
from workflows import access
from workflows import permissions as can
from workflows.models import Proposal
from workflows.states import State

# Documents are prepared until submission (`State.BEFORE_SUBMISSION`); after it each submission keeps the
# set that went to the funder (its frozen versions). Until the deadline a submitted proposal is still
# corrected and resubmitted, as on the funder portals; after it only what the funder sends back may
# still be added.
AFTER_SUBMISSION_KINDS = {DocumentKind.FUNDER_RECEIPT, DocumentKind.EVALUATION_REPORT}


def open_for_resubmission(proposal, at=None) -> bool:
    """Submitted and the deadline that applies to it (`Proposal.deadline`: stage 2 has its own) not
    passed: documents change as in drafting and it may be resubmitted, as the `resubmit` transition's
    condition says (the deadline instant itself still counts; no stage-2 deadline blocks nothing)."""
    return proposal.state in State.RESUBMITTABLE and not proposal.deadline_passed(at or timezone.now())


def _proposal(document_set):
    """The proposal owning the set: the locked row inside a change, the cached one otherwise."""
    locked = document_set.__dict__.get("_locked_proposal")
    if locked is not None:
        return locked

    try:
        return document_set.proposal
    except Proposal.DoesNotExist:
        return None


class ProposalDocumentsPolicy:
    """Whoever sees the proposal reads its documents; the office and the lead team change them while
    the proposal is prepared or, submitted, until the deadline; after that only the funder's receipt and
    evaluation report."""

    def can_view(self, user, document_set) -> bool:
        proposal = _proposal(document_set)
        return proposal is not None and proposal.deleted_at is None and access.can_view(user, proposal)

    def change_blocked(self, user, document_set, kind: str) -> Reason | None:
        return change_blocked(user, _proposal(document_set), kind)

    def lock_owner(self, document_set) -> None:
        document_set.__dict__["_locked_proposal"] = (
            # the call too: the deadline decides whether a submitted proposal still changes
            Proposal.objects.select_related("call")
            .select_for_update(of=("self",))
            .filter(document_set=document_set)
            .first()
        )


def change_blocked(user, proposal, kind: str) -> Reason | None:
    """None if this person may add a document or a version of this kind to the proposal now, else why
    not. The rule is asked again when an upload completes, so a file sent before the deadline and
    completed after it is refused too."""

    if proposal is None or not (can.office_or_lead_team(user, proposal)):
        return Reason("not_permitted", _("Only the office and the lead team change a proposal's documents."))
    if proposal.state in State.BEFORE_SUBMISSION or open_for_resubmission(proposal):
        return None
    if proposal.state in State.AFTER_SUBMISSION:
        if kind in AFTER_SUBMISSION_KINDS:
            return None
        if proposal.state in State.RESUBMITTABLE:
            return Reason(
                "documents_locked",
                _(
                    "The deadline passed at %(deadline)s: only the funder's receipt and the "
                    "evaluation report may still be added."
                )
                % {"deadline": proposal.deadline_display()},
            )
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


def changes_hint(user, proposal) -> dict:
    """What this person may add to the proposal's documents now, for the API and the page: the kinds,
    until when a submitted proposal may still be corrected, and why other documents are locked."""
    kinds = [kind for kind in DocumentKind.values if change_blocked(user, proposal, kind) is None]
    # any kind the funder does not send: what the team prepares
    reason = change_blocked(user, proposal, DocumentKind.APPLICATION_FORM)
    resubmission_open = reason is None and open_for_resubmission(proposal)
    return {
        "kinds": kinds,
        "resubmission_open": resubmission_open,
        "resubmission_until": proposal.deadline if resubmission_open else None,
        "reason": reason,
    }


def register_documents_policy() -> None:

    owners.register(DocumentSet.Purpose.PROPOSAL, ProposalDocumentsPolicy())


def document_set_for(proposal):
    """The proposal's document set, created on first use for proposals made before sets existed."""
    if proposal.document_set_id is not None:
        return proposal.document_set

    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.document_set_id is None:
            document_set = create_proposal_set(locked.title)
            Proposal.objects.filter(pk=locked.pk).update(document_set=document_set)
        else:
            document_set = locked.document_set
    proposal.document_set = document_set
    return document_set


def freeze_submitted_versions(submission) -> None:
    """Record the latest version of every document: later uploads never change what was submitted."""

    submission.versions.set(latest_versions(submission.proposal.document_set))
