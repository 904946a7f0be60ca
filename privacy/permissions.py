"""Who reads the audit trail: the office, which answers for what the service holds (predicates)."""

from grants_office.members.permissions import is_office_staff


def reads_trail(user, obj=None) -> bool:
    """Office staff and admins read every entry; a person's own data is served by their export."""
    return is_office_staff(user)
