"""Who may do what in the member registry, and the office roles every app asks about: predicates
`(user, obj) -> bool` (the object is optional: roles and the registry do not depend on it)."""

from grants_office.core.people import signed_in
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF


def _groups(user) -> set[str]:
    if not signed_in(user):
        return set()
    cached = getattr(user, "_office_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._office_group_names = cached
    return cached


def is_office_admin(user, obj=None) -> bool:
    return (signed_in(user) and user.is_superuser) or OFFICE_ADMIN in _groups(user)


def is_office_staff(user, obj=None) -> bool:
    """Office coordinators and admins: they see every proposal."""
    return is_office_admin(user) or OFFICE_STAFF in _groups(user)


def can_view_registry(user, obj=None) -> bool:
    """The registry and the calls are working data for every signed-in person."""
    return signed_in(user)
