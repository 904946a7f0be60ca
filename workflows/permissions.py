"""Who may do what with a proposal: predicates `(user, proposal) -> bool`, the one place that says it.

No query of their own beyond the person's memberships today (one per request, kept on the user).
Whether someone sees a proposal at all is a question about rows, answered by `workflows.access`; the
transitions declare these predicates (`grants_office.core.machine.logged_transition` adapts them
to django-fsm).
"""

from grants_office.core.people import signed_in
from grants_office.members.models import TeamMembership
from grants_office.members.permissions import is_office_staff
from grants_office.members.selectors import memberships_today


def _roles_on_team_of(user, municipality_id) -> set[str]:
    """The roles this user holds today on the team of one municipality."""
    return {role for m, _, role in memberships_today(user) if m == municipality_id}


def office(user, proposal=None) -> bool:
    return is_office_staff(user)


def team_lead(user, proposal) -> bool:
    return signed_in(user) and TeamMembership.Role.LEAD in _roles_on_team_of(user, proposal.lead_id)


def on_lead_team(user, proposal) -> bool:
    return signed_in(user) and bool(_roles_on_team_of(user, proposal.lead_id))


def office_or_team_lead(user, proposal) -> bool:
    return office(user, proposal) or team_lead(user, proposal)


def office_or_lead_team(user, proposal) -> bool:
    """Edit the proposal's own fields (which ones depends on its state), change its documents, reuse it."""
    return office(user, proposal) or on_lead_team(user, proposal)


def system(user, proposal) -> bool:
    """Only the system itself (no user) runs these, e.g. expiry after the deadline."""
    return user is None


def can_create_for(user, municipality) -> bool:
    """Register an idea for a municipality: its active team or the office."""
    return signed_in(user) and (is_office_staff(user) or bool(_roles_on_team_of(user, municipality.pk)))
