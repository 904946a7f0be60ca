"""Who may do what with events: predicates `(user, obj) -> bool`, no queries beyond the person's
memberships of today (`grants_office.members.selectors.memberships_today`). Which events a person sees
is a question about rows: `events.selectors.events_visible_to`."""

from grants_office.core.people import signed_in
from grants_office.members.models import TeamMembership
from grants_office.members.permissions import is_office_staff
from grants_office.members.selectors import memberships_today


def manages_events(user, event=None) -> bool:
    """Events, their registrations, attendance and certificates are run by the office."""
    return signed_in(user) and is_office_staff(user)


def on_team_of(user, municipality_id) -> bool:
    return signed_in(user) and any(m == municipality_id for m, _o, _r in memberships_today(user))


def leads_team_of(user, municipality_id) -> bool:
    return signed_in(user) and any(
        m == municipality_id and role == TeamMembership.Role.LEAD for m, _o, role in memberships_today(user)
    )


def registers(user, municipality_id, person) -> bool:
    """Who may register `person` for the municipality: the person themselves while on its team, its
    team lead for colleagues, and the office for anyone."""
    if manages_events(user):
        return True
    if person is not None and person.pk == getattr(user, "pk", None):
        return on_team_of(user, municipality_id)
    return leads_team_of(user, municipality_id)


def cancels_registration(user, registration) -> bool:
    """The person, whoever registered them, the municipality's team lead, and the office."""
    if manages_events(user):
        return True
    if not signed_in(user):
        return False
    return user.pk in (registration.person_id, registration.registered_by_id) or leads_team_of(
        user, registration.municipality_id
    )


def reads_certificate(user, certificate) -> bool:
    """The PDF of a certificate: its holder and the office (anyone may verify its code)."""
    return manages_events(user) or (
        signed_in(user) and certificate.registration.person_id == getattr(user, "pk", None)
    )
