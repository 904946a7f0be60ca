"""Consultations: the office meets the team on a proposal while it is still being shaped."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from grants_office.core.errors import Conflict, NotFound, Reason
from workflows import access, signals
from workflows import permissions as can
from workflows.models import Consultation, Proposal
from workflows.states import State


def consultation_blocked(proposal: Proposal, user) -> Conflict | None:
    """Why this person may not schedule a consultation on the proposal now; None if they may (the page
    asks before showing its form, the service before writing)."""
    if not can.office(user, proposal):
        return Conflict(
            _("Only the office records consultations."),
            reasons=[Reason("not_permitted", _("Only the office records consultations."))],
        )
    if proposal.state not in State.PREPARATION:
        return Conflict(
            _("Consultations are held while a proposal is an idea, in consultation or drafting."),
            reasons=[
                Reason(
                    "wrong_state",
                    _("Not possible from the state %(state)s.") % {"state": State(proposal.state).label},
                )
            ],
        )
    return None


def schedule_consultation(
    proposal: Proposal,
    user,
    *,
    held_at,
    notes: str = "",
    agreed_actions: str = "",
    office_experts=(),
    team_participants=(),
) -> Consultation:
    """Record a consultation meeting while the proposal is still being shaped."""
    if not access.can_view(user, proposal):
        raise NotFound(_("Not found."))
    blocked = consultation_blocked(proposal, user)
    if blocked is not None:
        raise blocked
    with transaction.atomic():
        consultation = Consultation.objects.create(
            proposal=proposal, held_at=held_at, notes=notes, agreed_actions=agreed_actions, created_by=user
        )
        consultation.office_experts.set(office_experts)
        consultation.team_participants.set(team_participants)
        signals.consultation_scheduled.send(sender=Consultation, consultation=consultation, by=user)
    return consultation
