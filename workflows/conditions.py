"""Conditions of lifecycle transitions. Each is a callable that blocks the move and explains why.

`condition(proposal)` answers True/False for django-fsm; `condition.reason(proposal)` is the sentence
shown when it fails, so the same code blocks the move and explains it.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.selectors import present_kinds
from grants_office.calls.models import DocumentKind
from grants_office.core.machine import Condition
from grants_office.members import eligibility
from workflows import funder_rules

has_call = Condition(
    "no_call",
    lambda p: p.call_id is not None,
    lambda p: _("The proposal is not linked to a call."),
)


# The deadline is the one that applies to the proposal (`Proposal.deadline`: stage 2 has its own).
def _deadline_passed_text(proposal) -> str:
    if proposal.works_to_stage2:
        return _("The stage-2 deadline passed at %(deadline)s.") % {"deadline": proposal.deadline_display()}
    return _("The call deadline passed at %(deadline)s.") % {"deadline": proposal.deadline_display()}


def _deadline_not_passed_text(proposal) -> str:
    if proposal.works_to_stage2 and proposal.deadline is None:
        return _("The call has no stage-2 deadline.")
    if proposal.works_to_stage2:
        return _("The stage-2 deadline has not passed yet.")
    return _("The call deadline has not passed yet.")


deadline_not_passed = Condition(
    "deadline_passed",
    lambda p: p.call_id is None or not p.deadline_passed(timezone.now()),
    _deadline_passed_text,
)

deadline_passed = Condition(
    "deadline_not_passed",
    lambda p: p.call_id is not None and p.deadline_passed(timezone.now()),
    _deadline_not_passed_text,
)

two_stage_call = Condition(
    "single_stage_call",
    lambda p: p.call_id is not None and p.call.is_two_stage,
    lambda p: _("The call has a single stage."),
)

in_first_stage = Condition(
    "already_stage2",
    lambda p: p.stage == 1,
    lambda p: _("The proposal is already in stage 2."),
)

# Only asked of a stage-1 proposal on a two-stage call (the conditions above explain the rest).
has_stage2_deadline = Condition(
    "no_stage2_deadline",
    lambda p: (
        p.call_id is None or not p.call.is_two_stage or p.stage != 1 or p.call.stage2_deadline is not None
    ),
    lambda p: _("Set the call's stage-2 deadline before inviting to stage 2."),
)


# --- the call's checklist ---------------------------------------------------------------------------


def required_kinds(proposal) -> list[str]:
    if proposal.call_id is None:
        return []
    return [item.document_kind for item in proposal.call.checklist.all() if item.required]


def missing_required_kinds(proposal) -> list[str]:
    """Labels of the document kinds the call requires that have no version yet, in checklist order."""
    required = required_kinds(proposal)
    if not required:
        return []
    present = present_kinds(proposal.document_set)
    return [DocumentKind(kind).label for kind in required if kind not in present]


required_documents_present = Condition(
    "missing_documents",
    lambda p: not missing_required_kinds(p),
    lambda p: _("Ready needs: %(kinds)s.") % {"kinds": ", ".join(str(k) for k in missing_required_kinds(p))},
)


# --- the funder's rules: the same checks as the 400 on create and edit (workflows/funder_rules.py) ----


def _money_problem(proposal, code: str):
    return next((p for p in funder_rules.proposal_money_problems(proposal) if p.code == code), None)


def _money_rule(code: str) -> Condition:
    return Condition(
        code, lambda p: _money_problem(p, code) is None, lambda p: _money_problem(p, code).message
    )


MONEY_RULES = [
    _money_rule(code)
    for code in (
        funder_rules.CURRENCY_MISMATCH,
        funder_rules.NO_REQUESTED_AMOUNT,
        funder_rules.OUTSIDE_GRANT_RANGE,
        funder_rules.NO_TOTAL_BUDGET,
        funder_rules.ABOVE_COFINANCING,
    )
]


def _lead_problem(proposal, code: str):
    return funder_rules.lead_problem(
        proposal.call, proposal.lead, code, exception_recorded=proposal.lead_exception_at is not None
    )


def _lead_rule(code: str) -> Condition:
    return Condition(code, lambda p: _lead_problem(p, code) is None, lambda p: _lead_problem(p, code).message)


# Who may lead: the call's eligibility and the membership rule (one implementation, the 400's too).
LEAD_RULES = [
    _lead_rule(code)
    for code in (
        eligibility.LEAD_PROVINCE,
        eligibility.LEAD_KIND,
        eligibility.LEAD_POPULATION,
        funder_rules.LEAD_NOT_MEMBER,
    )
]


def _consortium_messages(proposal, code: str) -> list[str]:
    return [p.message for p in funder_rules.consortium_problems(proposal) if p.code == code]


def _consortium_rule(code: str) -> Condition:
    return Condition(
        code,
        lambda p: not _consortium_messages(p, code),
        lambda p: " ".join(_consortium_messages(p, code)),
    )


# The partners the call admits and the minimum consortium (e.g. one partner from an EU member state).
CONSORTIUM_RULES = [
    _consortium_rule(code)
    for code in (
        eligibility.PARTNER_COUNTRY,
        eligibility.PARTNER_KIND,
        eligibility.TOO_FEW_PARTNERS,
        eligibility.TOO_FEW_EU_PARTNERS,
    )
]

# Checked at sign-off and at submission: the call, the amounts, the partners or the membership may have
# changed.
FUNDER_RULES = [*MONEY_RULES, *LEAD_RULES, *CONSORTIUM_RULES]
