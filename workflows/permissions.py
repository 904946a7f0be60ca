"""Who may do what with a proposal: the one place that answers it.

Transition permissions take (proposal, user) as django-fsm expects. Visibility is derived from
memberships and assignments by `workflows.access`, so one check and one list query agree.
"""

from grants_office.members.models import TeamMembership
from grants_office.members.permissions import is_office_staff
from workflows import access


def _active_lead_roles(user, municipality_id) -> set[str]:
    """The roles this user holds today on the team of one municipality."""
    return {role for m, _, role in access.memberships_today(user) if m == municipality_id}


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def office(proposal, user) -> bool:
    return is_office_staff(user)


def team_lead(proposal, user) -> bool:
    return _signed_in(user) and TeamMembership.Role.LEAD in _active_lead_roles(user, proposal.lead_id)


def on_lead_team(proposal, user) -> bool:
    return _signed_in(user) and bool(_active_lead_roles(user, proposal.lead_id))


def office_or_team_lead(proposal, user) -> bool:
    return office(proposal, user) or team_lead(proposal, user)


def system(proposal, user) -> bool:
    """Only the system itself (no user) runs these, e.g. expiry after the deadline."""
    return user is None


def can_view(user, proposal) -> bool:
    """Sees the proposal now: the office, today's lead and partner teams, reviewers past the gate."""
    return access.can_view(user, proposal)


def can_edit(user, proposal) -> bool:
    """Edit the proposal's own fields (which ones depends on its state)."""
    return is_office_staff(user) or on_lead_team(proposal, user)


def can_create_for(user, municipality) -> bool:
    """Register an idea for a municipality: its active team or the office."""
    if not _signed_in(user):
        return False
    if is_office_staff(user):
        return True
    return bool(_active_lead_roles(user, municipality.pk))


def can_manage_consultations(user, proposal) -> bool:
    return is_office_staff(user)


def can_reuse(user, proposal) -> bool:
    return is_office_staff(user) or on_lead_team(proposal, user)


def can_delete(user, proposal) -> bool:
    return is_office_staff(user)
