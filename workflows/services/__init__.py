"""Every write on proposals goes through one function here, one per action a person can take."""

from workflows.services.consultations import consultation_blocked, programme_meetings, schedule_consultation
from workflows.services.partners import add_partner
from workflows.services.proposals import (
    LEAD_EXCEPTION_LOG,
    MONEY_FIELDS,
    create_proposal,
    delete_proposal,
    lock_for_edit,
    proposal_tag,
    record_lead_exception,
    reuse_proposal,
    update_proposal,
)
from workflows.services.saved_filters import delete_filter, save_filter
from workflows.services.transitions import expire_overdue, perform_transition

__all__ = [
    "LEAD_EXCEPTION_LOG",
    "MONEY_FIELDS",
    "add_partner",
    "consultation_blocked",
    "create_proposal",
    "delete_filter",
    "delete_proposal",
    "expire_overdue",
    "lock_for_edit",
    "perform_transition",
    "programme_meetings",
    "proposal_tag",
    "record_lead_exception",
    "reuse_proposal",
    "save_filter",
    "schedule_consultation",
    "update_proposal",
]
