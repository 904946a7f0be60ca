"""Who sees the results: the office (predicates `(user, obj) -> bool`)."""

from grants_office.members.permissions import is_office_staff


def sees_results(user, obj=None) -> bool:
    """The figures, exports, rates and the annual report are the office's."""
    return is_office_staff(user)
