"""What the audit trail follows: every model whose changes someone may have to account for, with the
fields that are bookkeeping (row versions, sort copies, timestamps the entry carries anyway) left out.

Proposal states are not here: django-fsm-log records each transition with its comment, and the history
shows both. A proposal's partners are replaced in bulk, which no model signal sees, so the service logs
the list as one change of the proposal (`workflows.services.proposals`); the model is still followed for
an edit in the admin.
"""

from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cooperation.models import Cooperation, PartnerProfile
from grants_office.calls.models import Call, ChecklistItem, Criterion, FundingProgramme, Rubric
from grants_office.members.models import (
    CallEligibility,
    ExpertProfile,
    Municipality,
    Organisation,
    TeamMembership,
    UserProfile,
)
from notifications.models import NotificationPreference
from privacy.models import PrivacyNotice
from workflows.models import Consultation, Proposal, ProposalPartner
from workflows.review.models import Review, ReviewAssignment, ReviewRound

BOOKKEEPING = ["created_at", "updated_at", "version"]

TRACKED = {
    Proposal: {
        "exclude_fields": [*BOOKKEEPING, "state", "sort_deadline", "sort_call_deadline", "document_set"]
    },
    ProposalPartner: {},
    Consultation: {"m2m_fields": ["office_experts", "team_participants"]},
    Call: {"m2m_fields": ["themes"]},
    ChecklistItem: {},
    CallEligibility: {},
    FundingProgramme: {},
    Rubric: {},
    Criterion: {},
    Municipality: {},
    Organisation: {},
    TeamMembership: {},
    ExpertProfile: {"m2m_fields": ["themes"]},
    UserProfile: {},
    NotificationPreference: {},
    ReviewRound: {},
    ReviewAssignment: {"exclude_fields": ["state"]},
    Review: {"exclude_fields": BOOKKEEPING},
    PartnerProfile: {"exclude_fields": [*BOOKKEEPING, "search_document"]},
    Cooperation: {},
    # permission grants: who is staff or admin, in which group, with which permission
    Group: {"m2m_fields": ["permissions"]},
    # the notice's versions are never changed: their publication is the entry
    PrivacyNotice: {},
}


def _user_options() -> dict:
    # the password's hash and the last sign-in are not changes anyone accounts for (sign-ins are logged
    # apart); a changed password shows as one, masked
    return {
        "exclude_fields": ["last_login"],
        "mask_fields": ["password"],
        "m2m_fields": ["groups", "user_permissions"],
    }


def draft_review(sender, instance, **kwargs):
    """A review is the reviewer's own draft until it is submitted: only a submitted review is logged,
    so the trail holds what the office read, not every save of a draft. Its scores are not followed:
    they are written while it is a draft and are final with it (no service or admin page changes a
    submitted review), and each followed save would cost a read of the old row."""
    return instance.submitted_at is not None


def tracked_models() -> list:
    return [*TRACKED, get_user_model()]


def register() -> None:
    for model, options in TRACKED.items():
        auditlog.register(model, **options)
    auditlog.register(get_user_model(), **_user_options())
    pre_log.connect(draft_review, sender=Review, dispatch_uid="privacy.draft_review")
