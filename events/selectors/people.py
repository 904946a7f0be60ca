"""Whom a person may register for an event from the page: themselves for each member municipality on
whose team they are today, and, as its team lead, their colleagues on that team."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from grants_office.core.people import display_name
from grants_office.members.models import Municipality, TeamMembership
from grants_office.members.selectors import memberships_today


@dataclass(frozen=True)
class Option:
    person: object
    municipality: Municipality
    myself: bool

    @property
    def key(self) -> str:
        return f"{self.person.pk}:{self.municipality.pk}"

    @property
    def label(self) -> str:
        name = _("Myself") if self.myself else display_name(self.person)
        return f"{name} – {self.municipality.name}"


def registrable(user) -> list[Option]:
    """The people this person may register (one query beyond the memberships of today)."""
    mine = [m for m, _o, _r in memberships_today(user) if m]
    led = {m for m, _o, role in memberships_today(user) if m and role == TeamMembership.Role.LEAD}
    if not mine:
        return []
    memberships = (
        TeamMembership.objects.active()
        .filter(municipality_id__in=mine, municipality__membership_status=Municipality.Membership.MEMBER)
        .select_related("user", "municipality")
        .order_by("municipality__name", "user__first_name", "user__last_name", "user_id")
    )
    options, seen = [], set()
    for membership in memberships:
        myself = membership.user_id == user.pk
        if not myself and membership.municipality_id not in led:
            continue
        option = Option(membership.user, membership.municipality, myself)
        if option.key not in seen:
            seen.add(option.key)
            options.append(option)
    return sorted(options, key=lambda option: not option.myself)
