"""Writes on a proposal's own data: register an idea, edit it, record a lead exception, reuse, delete."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from documents.services import create_proposal_set
from grants_office.core import audit, concurrency
from grants_office.core.errors import Conflict, Invalid, NotFound, Reason
from grants_office.members.models import Municipality, Organisation
from workflows import access, funder_rules, signals
from workflows import permissions as can
from workflows.models import Proposal, ProposalPartner
from workflows.states import State

# Which of the proposal's own fields may change in which states.
EDITABLE_FIELDS = {
    State.IDEA: {"title", "acronym", "summary", "requested_amount", "total_budget", "currency", "call"},
    State.CONSULTATION: {
        "title",
        "acronym",
        "summary",
        "requested_amount",
        "total_budget",
        "currency",
        "call",
    },
    State.DRAFTING: {"title", "acronym", "summary", "requested_amount", "total_budget", "currency"},
    State.INVITED_STAGE2: {"summary", "requested_amount", "total_budget"},
}
OFFICE_ONLY_FIELDS = {"coordinator"}


def _validate_amounts(values: dict) -> None:
    errors = {}
    for name in ("requested_amount", "total_budget"):
        value = values.get(name)
        if value is not None and Decimal(value) < 0:
            errors[name] = [_("Must not be negative.")]
    requested, total = values.get("requested_amount"), values.get("total_budget")
    if requested is not None and total is not None and Decimal(requested) > Decimal(total):
        errors["requested_amount"] = [_("The requested amount cannot exceed the total budget.")]
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)


MONEY_FIELDS = {"call", "requested_amount", "total_budget", "currency"}


def _validate_funder_rules(call, values: dict) -> None:
    """The call's grant range, co-financing rate and currency (the same rules as at sign-off)."""
    problems = funder_rules.money_problems(
        call,
        requested=values.get("requested_amount"),
        total=values.get("total_budget"),
        currency=values.get("currency") or Proposal._meta.get_field("currency").default,
    )
    if problems:
        raise Invalid(_("Invalid input."), fields=funder_rules.as_fields(problems))


def _refuse_ineligible(problems: list[funder_rules.Problem]) -> None:
    """Who may lead and partner (the call's eligibility): a 400 with the rules under `lead` and
    `partners`, and their codes in the message."""
    if problems:
        codes = ", ".join(dict.fromkeys(problem.code for problem in problems))
        raise Invalid(
            _("Not eligible for the call: %(codes)s.") % {"codes": codes},
            fields=funder_rules.as_fields(problems),
        )


def _check_eligibility(proposal: Proposal, parties: list) -> None:
    """The lead and the partners against the proposal's call, as it will be saved."""
    exception = proposal.lead_exception_at is not None
    _refuse_ineligible(
        funder_rules.lead_problems(proposal.call, proposal.lead, exception_recorded=exception)
        + funder_rules.partner_problems(proposal.call, parties)
    )


def _set_partners(proposal: Proposal, partners: list[dict]) -> None:
    """Replace the partner list; access follows at once (`workflows.access` reads the partners)."""
    seen, rows, parties = set(), [], []
    for entry in partners:
        party = entry.get("municipality") or entry.get("organisation")
        if party is None:
            raise Invalid(
                _("Invalid input."),
                fields={"partners": [_("Each partner needs a municipality or an organisation.")]},
            )
        if isinstance(party, Municipality) and party.pk == proposal.lead_id:
            raise Invalid(
                _("Invalid input."), fields={"partners": [_("The lead municipality is not its own partner.")]}
            )
        key = (type(party).__name__, party.pk)
        if key in seen:
            raise Invalid(
                _("Invalid input."), fields={"partners": [_("%(party)s is listed twice.") % {"party": party}]}
            )
        seen.add(key)
        parties.append(party)
        rows.append(
            ProposalPartner(
                proposal=proposal,
                municipality=party if isinstance(party, Municipality) else None,
                organisation=party if isinstance(party, Organisation) else None,
                role=entry.get("role") or ProposalPartner.Role.PARTNER,
            )
        )
    _refuse_ineligible(funder_rules.partner_problems(proposal.call, parties))
    proposal.partners.all().delete()
    ProposalPartner.objects.bulk_create(rows)


def create_proposal(
    user,
    *,
    lead: Municipality,
    title: str,
    partners: list[dict] | None = None,
    lead_exception_reason: str = "",
    **fields,
) -> Proposal:
    """Register an idea for a municipality; its team and each partner's team see it at once.

    Only a member municipality leads; the office may let another one lead this proposal by giving
    `lead_exception_reason`, recorded and logged with the proposal in the same transaction.
    """
    if not can.can_create_for(user, lead):
        raise Invalid(
            _("Invalid input."),
            fields={"lead": [_("You can register ideas only for a municipality whose team you are on.")]},
        )
    if not can.office(user):
        fields.pop("coordinator", None)
    if not title or not title.strip():
        raise Invalid(_("Invalid input."), fields={"title": [_("A title is required.")]})
    lead_exception_reason = (lead_exception_reason or "").strip()
    if lead_exception_reason and not can.office(user):
        raise Invalid(
            _("Invalid input."),
            fields={"lead_exception_reason": [_("Only the office records an exception for the lead.")]},
        )
    _refuse_ineligible(
        funder_rules.lead_problems(fields.get("call"), lead, exception_recorded=bool(lead_exception_reason))
    )
    _validate_amounts(fields)
    _validate_funder_rules(fields.get("call"), fields)
    with transaction.atomic():
        proposal = Proposal(
            lead=lead,
            title=title.strip(),
            created_by=user,
            document_set=create_proposal_set(title.strip()),
            **fields,
        )
        if lead_exception_reason:
            _set_lead_exception(proposal, user, lead_exception_reason)
        proposal.save()
        if lead_exception_reason:
            _log_lead_exception(proposal, user)
        _set_partners(proposal, partners or [])
        signals.proposal_created.send(sender=Proposal, proposal=proposal, by=user)
    return proposal


def proposal_tag(proposal: Proposal) -> str:
    """The proposal's entity tag (API `ETag`, the edit forms' hidden version): its row version."""
    return concurrency.version_tag("proposal", proposal.pk, proposal.version)


def lock_for_edit(proposal: Proposal, precondition: concurrency.Precondition | None) -> Proposal:
    """Lock the proposal's row for an edit in the caller's transaction, refusing (412) when it is no
    longer the version the editor saw; the locked row is returned."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if precondition is not None:
        precondition.ensure(proposal_tag(locked))
    return locked


def update_proposal(
    proposal: Proposal,
    user,
    *,
    partners: list[dict] | None = None,
    precondition: concurrency.Precondition | None = None,
    **changes,
) -> Proposal:
    """Change the fields that the proposal's state still allows; others answer 409.

    With a `precondition` (the client's `If-Match`) the edit applies only to the version the client
    read: if anyone wrote the row since, `PreconditionFailed` (412) and nothing changes."""
    if not access.can_view(user, proposal):
        raise NotFound(_("Not found."))
    if not can.office_or_lead_team(user, proposal):
        raise Conflict(
            _("You may not edit this proposal."),
            reasons=[Reason("not_permitted", _("Only the office and the lead team edit a proposal."))],
        )
    with transaction.atomic(), audit.acting(user):
        proposal = lock_for_edit(proposal, precondition)
        editable = set(EDITABLE_FIELDS.get(proposal.state, set()))
        if can.office(user, proposal):
            editable |= OFFICE_ONLY_FIELDS
        locked = sorted(set(changes) - editable)
        if partners is not None and proposal.state not in State.PREPARATION:
            locked.append("partners")
        if locked:
            raise Conflict(
                _("These fields cannot change while the proposal is %(state)s: %(fields)s.")
                % {"state": State(proposal.state).label, "fields": ", ".join(locked)},
                reasons=[Reason("field_locked", name) for name in locked],
                code="fields_locked",
            )
        _validate_amounts(
            {
                "requested_amount": changes.get("requested_amount", proposal.requested_amount),
                "total_budget": changes.get("total_budget", proposal.total_budget),
            }
        )
        if MONEY_FIELDS & set(changes):
            # Only when the money or the call changes: a title edit is not refused for a rule that the
            # call changed under it (sign-off and submission check the whole proposal again).
            _validate_funder_rules(
                changes.get("call", proposal.call),
                {name: changes.get(name, getattr(proposal, name)) for name in MONEY_FIELDS - {"call"}},
            )
        for name, value in changes.items():
            setattr(proposal, name, value)
        if "call" in changes:
            # a new call's rules apply to the lead and the partners it keeps (new ones: _set_partners)
            _check_eligibility(proposal, _current_parties(proposal) if partners is None else [])
        proposal.save()
        if partners is not None:
            before = _partner_list(proposal)
            _set_partners(proposal, partners)
            audit.record_change(proposal, {"partners": (before, _partner_list(proposal))})
    return proposal


def _partner_list(proposal: Proposal) -> str:
    """The partners as the history shows them (the audit trail keeps text): name and role, by name; the
    role in the service's language, so one entry does not depend on who made the change."""
    rows = proposal.partners.select_related("municipality", "organisation")
    with translation.override(settings.LANGUAGE_CODE):
        return "; ".join(sorted(f"{row.party} ({row.get_role_display()})" for row in rows))


def _current_parties(proposal: Proposal) -> list:
    return [p.party for p in proposal.partners.select_related("municipality", "organisation")]


# The history entry of a lead exception: not a move, but logged with the moves (same who/when/why).
LEAD_EXCEPTION_LOG = "lead_exception"
LEAD_EXCEPTION_FIELDS = ["lead_exception_reason", "lead_exception_by", "lead_exception_at"]


def _set_lead_exception(proposal: Proposal, user, reason: str) -> None:
    proposal.lead_exception_reason = reason
    proposal.lead_exception_by = user
    proposal.lead_exception_at = timezone.now()


def _log_lead_exception(proposal: Proposal, user) -> None:
    StateLog.objects.create(
        content_object=proposal,
        transition=LEAD_EXCEPTION_LOG,
        source_state=proposal.state,
        state=proposal.state,
        by=user,
        timestamp=proposal.lead_exception_at,
        description=proposal.lead_exception_reason,
    )


def record_lead_exception(proposal: Proposal, user, *, reason: str) -> Proposal:
    """The office lets a municipality that is not (or no longer) a member lead this one proposal.

    Who, when and why stay on the proposal and in its history; a new exception replaces the old one
    (both stay in the history).
    """
    if not access.can_view(user, proposal):
        raise NotFound(_("Not found."))
    if not can.office(user, proposal):
        raise Conflict(
            _("Only the office records an exception for the lead."),
            reasons=[Reason("not_permitted", _("Only the office records an exception for the lead."))],
        )
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Invalid input."), fields={"reason": [_("Give the reason for the exception.")]})
    with transaction.atomic(), audit.acting(user):
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _set_lead_exception(proposal, user, reason)
        with audit.part_of(transition=LEAD_EXCEPTION_LOG):  # its fields show with its history entry
            proposal.save(update_fields=[*LEAD_EXCEPTION_FIELDS, "updated_at"])
        _log_lead_exception(proposal, user)
    return proposal


def reuse_proposal(proposal: Proposal, user) -> Proposal:
    """A rejected, ineligible or expired proposal becomes a new idea linked to it, for a later call."""
    if not access.can_view(user, proposal):
        raise NotFound(_("Not found."))
    if not can.office_or_lead_team(user, proposal):
        raise Conflict(
            _("You may not reuse this proposal."),
            reasons=[Reason("not_permitted", _("Only the office and the lead team reuse a proposal."))],
        )
    if proposal.state not in State.REUSABLE:
        raise Conflict(
            _("Only a rejected, ineligible or expired proposal can be reused."),
            reasons=[
                Reason(
                    "wrong_state",
                    _("Not possible from the state %(state)s.") % {"state": State(proposal.state).label},
                )
            ],
        )
    partners = [
        {"municipality": p.municipality, "organisation": p.organisation, "role": p.role}
        for p in proposal.partners.select_related("municipality", "organisation")
    ]
    return create_proposal(
        user,
        lead=proposal.lead,
        title=proposal.title,
        acronym=proposal.acronym,
        summary=proposal.summary,
        currency=proposal.currency,
        coordinator=proposal.coordinator,
        reused_from=proposal,
        partners=partners,
    )


def delete_proposal(proposal: Proposal, user) -> None:
    """Soft delete: the row and its history stay; lists no longer show it."""
    if not access.can_view(user, proposal):
        raise NotFound(_("Not found."))
    if not can.office(user, proposal):
        raise Conflict(
            _("Only the office deletes proposals."),
            reasons=[Reason("not_permitted", _("Only the office deletes proposals."))],
        )
    now = timezone.now()
    with transaction.atomic():
        if Proposal.objects.filter(pk=proposal.pk, deleted_at__isnull=True).update(deleted_at=now):
            # an update() no model signal sees: the trail is told (once, not on a repeated delete)
            audit.record_change(proposal, {"deleted_at": ("None", str(now))}, actor=user)
