"""Team groups: one Django group per municipality or organisation team, holding its active members.

Object permissions on proposals are granted to these groups, so a person gains or loses access to
every proposal of their municipality by joining or leaving its team, without rewriting grants.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from grants_office.members.models import Municipality, Organisation, TeamMembership

PREFIX = "team:"


def team_group_name(party) -> str:
    kind = "municipality" if isinstance(party, Municipality) else "organisation"
    return f"{PREFIX}{kind}:{party.pk}"


def team_group(party: Municipality | Organisation) -> Group:
    group, _ = Group.objects.get_or_create(name=team_group_name(party))
    return group


@transaction.atomic
def sync_user_team_groups(user) -> None:
    """Make the user's team groups match their memberships active today."""
    wanted = {
        team_group(membership.party).pk
        for membership in TeamMembership.objects.active()
        .filter(user=user)
        .select_related("municipality", "organisation")
    }
    current = set(user.groups.filter(name__startswith=PREFIX).values_list("pk", flat=True))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))
    user.__dict__.pop("_team_roles", None)
    user.__dict__.pop("_office_group_names", None)


def sync_all_team_groups() -> int:
    """Daily: memberships start and end by date, so group membership follows the calendar."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(team_memberships__isnull=False).distinct()
    count = 0
    for user in users.iterator():
        sync_user_team_groups(user)
        count += 1
    # People whose last membership row was deleted still sit in team groups.
    for user in (
        get_user_model()
        .objects.filter(groups__name__startswith=PREFIX, team_memberships__isnull=True)
        .distinct()
    ):
        sync_user_team_groups(user)
        count += 1
    return count
