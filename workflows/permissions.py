"""Who may do what with a proposal: the one place that answers it.

Transition permissions take (proposal, user) as django-fsm expects. Visibility goes through the
direct-FK guardian tables so that one check and one list query agree.
"""

from grants_office.members.models import TeamMembership
from grants_office.members.permissions import is_office_staff


def _active_lead_roles(user, municipality_id) -> set[str]:
    """The roles this user holds today on the team of one municipality (cached per user object)."""
    cache = user.__dict__.setdefault("_team_roles", {})
    if municipality_id not in cache:
        cache[municipality_id] = set(
            TeamMembership.objects.active()
            .filter(user=user, municipality_id=municipality_id)
            .values_list("role", flat=True)
        )
    return cache[municipality_id]


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
    if not _signed_in(user):
        return False
    return is_office_staff(user) or user.has_perm("workflows.view_proposal", proposal)


def viewers_among(proposal, users) -> set[int]:
    """Which of these people may see the proposal, in three queries whatever their number: the same
    answer as `can_view` per person, read from the direct-FK guardian tables at once."""
    return viewers_among_many([(proposal, users)])[0]


def viewers_among_many(pairs) -> list[set[int]]:
    """`viewers_among` for many (proposal, users) pairs: three queries whatever their number (the
    reminders of a whole scan), answering per pair which of its people may see its proposal."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
    from workflows.models import ProposalGroupObjectPermission, ProposalUserObjectPermission

    pairs = [(proposal, [user for user in users if _signed_in(user)]) for proposal, users in pairs]
    ids = {user.pk for _, users in pairs for user in users}
    if not ids:
        return [set() for _ in pairs]
    # Asked by proposal, never with the thousands of people of a scan as parameters: the office is a few
    # dozen people, and a proposal's grants are a handful of rows each. A few people (one event) narrow
    # the office question to themselves, which spares a scan of every user.
    staff = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name__in=[OFFICE_STAFF, OFFICE_ADMIN])
    )
    if len(ids) <= 200:
        staff = staff.filter(pk__in=ids)
    office_or_super = set(staff.values_list("pk", flat=True))
    proposal_ids = sorted({proposal.pk for proposal, users in pairs if users})
    granted = set(
        ProposalUserObjectPermission.objects.filter(
            content_object_id__in=proposal_ids, permission__codename="view_proposal"
        ).values_list("content_object_id", "user_id")
    ) | set(
        ProposalGroupObjectPermission.objects.filter(
            content_object_id__in=proposal_ids,
            permission__codename="view_proposal",
            group__user__isnull=False,
        ).values_list("content_object_id", "group__user")
    )
    return [
        {user.pk for user in users if user.pk in office_or_super or (proposal.pk, user.pk) in granted}
        for proposal, users in pairs
    ]


def can_edit(user, proposal) -> bool:
    """Edit the proposal's own fields (which ones depends on its state)."""
    return is_office_staff(user) or on_lead_team(proposal, user)


def can_create_for(user, municipality) -> bool:
    """Register an idea for a municipality: its active team or the office."""
    if not _signed_in(user):
        return False
    if is_office_staff(user):
        return True
    return TeamMembership.objects.active().filter(user=user, municipality=municipality).exists()


def can_manage_consultations(user, proposal) -> bool:
    return is_office_staff(user)


def can_reuse(user, proposal) -> bool:
    return is_office_staff(user) or on_lead_team(proposal, user)


def can_delete(user, proposal) -> bool:
    return is_office_staff(user)
