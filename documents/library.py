"""The office's library sets: who reads them (the chosen audience) and who changes them (the office).
Registered with `documents.owners` as the library's owner policy, as workflows registers the proposals'.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from documents.permissions import can_manage_library
from grants_office.core.errors import Reason
from grants_office.members.models import Municipality, TeamMembership
from grants_office.members.permissions import is_office_staff


def _team_municipalities(user) -> set[tuple[int, str]]:
    """(municipality id, membership status) of the teams the user is on today; cached per user object."""
    cached = user.__dict__.get("_library_municipalities")
    if cached is None:
        cached = set(
            TeamMembership.objects.active()
            .filter(user=user, municipality__isnull=False)
            .values_list("municipality_id", "municipality__membership_status")
        )
        user.__dict__["_library_municipalities"] = cached
    return cached


def _on_member_team(user) -> bool:
    return any(status == Municipality.Membership.MEMBER for _pk, status in _team_municipalities(user))


class LibraryPolicy:
    def can_view(self, user, document_set) -> bool:
        if is_office_staff(user):
            return True
        if document_set.audience == document_set.Audience.ALL_MEMBERS:
            return _on_member_team(user)
        mine = {pk for pk, _status in _team_municipalities(user)}
        return bool(mine) and document_set.municipalities.filter(pk__in=mine).exists()

    def change_blocked(self, user, document_set, kind: str) -> Reason | None:
        if can_manage_library(user, document_set):
            return None
        return Reason("not_permitted", _("Only the office changes the library."))

    def lock_owner(self, document_set) -> None:
        return None


def visible_library_sets(user, sets: QuerySet) -> QuerySet:
    """The library sets among `sets` that this user reads."""
    if is_office_staff(user):
        return sets
    mine = [pk for pk, _status in _team_municipalities(user)]
    visible = Q(audience="chosen", municipalities__in=mine)
    if _on_member_team(user):
        visible |= Q(audience="all_members")
    # The M2M join can repeat a set: filter by primary keys so the outer query stays plain.
    return sets.filter(pk__in=sets.model.objects.filter(visible).values("pk"))
