"""Who may do what in cooperation: predicates `(user, obj) -> bool`, no queries beyond the person's
memberships of today (`grants_office.members.selectors.memberships_today`)."""

from grants_office.core.people import signed_in
from grants_office.members.models import Municipality, TeamMembership
from grants_office.members.permissions import is_office_staff
from grants_office.members.selectors import memberships_today, teams_today

# -- eligibility --


def sees_proposals_on_call(user, call=None) -> bool:
    """Which eligible members have a proposal on a call (the list to phone): the office's, as proposals
    of other municipalities are."""
    return is_office_staff(user)


# -- call watch --


def sees_call_matches(user, municipality) -> bool:
    """A municipality's call matches (a Municipality or its id): its team today, or the office."""
    pk = getattr(municipality, "pk", municipality)
    return signed_in(user) and (is_office_staff(user) or pk in teams_today(user)[0])


# -- member capacity --


def sees_capacity_details(user, municipality) -> bool:
    """Who of a member's people were trained and which proposals followed (personal data): the office
    and the municipality's own team today; others see whether it has a project team and how many events
    it attended."""
    pk = getattr(municipality, "pk", municipality)
    return signed_in(user) and (is_office_staff(user) or pk in teams_today(user)[0])


# -- partners --


def sees_partner_profiles(user, obj=None) -> bool:
    """Profiles are for every signed-in person: members, partner contacts, reviewers, the office."""
    return signed_in(user)


def edits_profile(user, profile) -> bool:
    """A party's profile: the office, or that party's team lead today."""
    if not signed_in(user):
        return False
    if is_office_staff(user):
        return True
    return any(
        role == TeamMembership.Role.LEAD
        and (
            (m is not None and m == profile.municipality_id)
            or (o is not None and o == profile.organisation_id)
        )
        for m, o, role in memberships_today(user)
    )


# -- partner requests and cooperations --


def takes_part(user, obj=None) -> bool:
    """The office, or anyone on a team today (member municipality staff, partner contacts): who reads
    open partner requests and the cooperation registry."""
    return signed_in(user) and (is_office_staff(user) or bool(memberships_today(user)))


def on_team_of(user, party) -> bool:
    """On the team of this municipality or organisation today."""
    if not signed_in(user) or party is None:
        return False
    municipalities, organisations = teams_today(user)
    return party.pk in (municipalities if isinstance(party, Municipality) else organisations)


def publishes_for(user, municipality) -> bool:
    """Publish a partner request for a municipality: its team today or the office."""
    return signed_in(user) and (is_office_staff(user) or on_team_of(user, municipality))


def manages_request(user, partner_request) -> bool:
    """Close the request, read all its answers, accept or decline them: the requesting team or the office."""
    return signed_in(user) and (
        is_office_staff(user) or partner_request.municipality_id in teams_today(user)[0]
    )


def sees_response(user, response) -> bool:
    """The requesting team and the office; the responding party's team and the person who wrote it."""
    return manages_request(user, response.request) or (
        signed_in(user) and (response.responder_id == user.pk or on_team_of(user, response.party))
    )


def withdraws_response(user, response) -> bool:
    return signed_in(user) and response.responder_id == user.pk


def records_cooperations(user, obj=None) -> bool:
    """The office records and edits the registry of agreements and network memberships."""
    return is_office_staff(user)
