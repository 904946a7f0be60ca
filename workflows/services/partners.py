"""Add one partner to a proposal (a partner request's accepted answer): the rules of the partner list
that `proposals._set_partners` keeps, for one party at a time and refused with reason codes."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grants_office.core.errors import Conflict, Invalid, NotFound, not_permitted, refused
from grants_office.members.models import Municipality, Organisation
from workflows import access, funder_rules
from workflows import permissions as can
from workflows.models import Proposal, ProposalPartner
from workflows.states import State


def add_partner(proposal: Proposal, party: Municipality | Organisation, role: str, by) -> ProposalPartner:
    """Add `party` as a partner with `role`; its team sees the proposal at once (`workflows.access`
    reads the partners). Partners change only while the proposal is prepared (`State.PREPARATION`);
    the lead is not its own partner and nobody is listed twice (409 with codes)."""
    if role not in ProposalPartner.Role.values:
        raise Invalid(_("Invalid input."), fields={"role": [_("Choose a partner role.")]})
    if proposal.deleted_at is not None or not access.can_view(by, proposal):
        raise NotFound(_("Not found."))
    if not can.office_or_lead_team(by, proposal):
        raise not_permitted(_("Only the office and the lead team change a proposal's partners."))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _ensure_may_add(locked, party)
        try:
            with transaction.atomic():  # the unique constraints decide a race: 409, not 500
                return ProposalPartner.objects.create(
                    proposal=locked,
                    municipality=party if isinstance(party, Municipality) else None,
                    organisation=party if isinstance(party, Organisation) else None,
                    role=role,
                )
        except IntegrityError:
            raise _already_partner(party) from None


def _already_partner(party) -> Conflict:
    return refused("already_partner", _("%(party)s is already a partner.") % {"party": party})


def _ensure_may_add(proposal: Proposal, party) -> None:
    if proposal.state not in State.PREPARATION:
        raise refused(
            "partners_locked",
            _("Partners cannot change while the proposal is %(state)s.")
            % {"state": State(proposal.state).label},
        )
    if isinstance(party, Municipality) and party.pk == proposal.lead_id:
        raise refused("lead_is_not_partner", _("The lead municipality is not its own partner."))
    for problem in funder_rules.partner_problems(proposal.call, [party]):
        raise refused(problem.code, problem.message)  # the call's partner rules, as on create and edit
    field = "municipality" if isinstance(party, Municipality) else "organisation"
    if ProposalPartner.objects.filter(proposal=proposal, **{field: party}).exists():
        raise _already_partner(party)
