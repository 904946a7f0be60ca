"""Consultations: the office meets the team on a proposal while it is still being shaped."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from events.models import Event
from events.states import EventState
from grants_office.core.errors import Conflict, Invalid, NotFound, Reason
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


def programme_meetings():
    """The events a consultation may be held at: announced programme meetings, newest first."""
    return (
        Event.objects.filter(kind=Event.Kind.PROGRAMME_MEETING)
        .exclude(state__in=[EventState.DRAFT, EventState.CANCELLED])
        .order_by("-starts_at", "-id")
    )


def _meeting(event, held_at):
    """The programme meeting and the moment of the consultation (the meeting's start when not given)."""
    if event is not None and not programme_meetings().filter(pk=event.pk).exists():
        message = _("Choose a programme meeting.")
        raise Invalid(message, fields={"event": [message]})
    if held_at is None:
        if event is None:
            raise Invalid(_("Invalid input."), fields={"held_at": [_("This field is required.")]})
        held_at = event.starts_at
    return held_at


def schedule_consultation(
    proposal: Proposal,
    user,
    *,
    held_at=None,
    event=None,
    notes: str = "",
    agreed_actions: str = "",
    office_experts=(),
    team_participants=(),
) -> Consultation:
    """Record a consultation meeting while the proposal is still being shaped; `event`: the programme
    meeting with the experts of a grant programme where it was discussed (with other proposals)."""
    if not access.can_view(user, proposal):
        raise NotFound(_("Not found."))
    blocked = consultation_blocked(proposal, user)
    if blocked is not None:
        raise blocked
    held_at = _meeting(event, held_at)
    with transaction.atomic():
        consultation = Consultation.objects.create(
            proposal=proposal,
            held_at=held_at,
            event=event,
            notes=notes,
            agreed_actions=agreed_actions,
            created_by=user,
        )
        consultation.office_experts.set(office_experts)
        consultation.team_participants.set(team_participants)
        signals.consultation_scheduled.send(sender=Consultation, consultation=consultation, by=user)
    return consultation
