"""Who must, may and may not change a second factor: predicates `(user, obj) -> bool`."""

from django.conf import settings

from grants_office.core.people import signed_in
from grants_office.members.permissions import is_office_admin, is_office_staff


def must_use_second_factor(user, obj=None) -> bool:
    """Office staff and admins read every proposal: a password alone is not enough for them."""
    return settings.TWO_FACTOR_REQUIRED_FOR_OFFICE and is_office_staff(user)


def may_turn_off_second_factor(user, obj=None) -> bool:
    return signed_in(user) and not must_use_second_factor(user)


def may_reset_second_factor(user, person) -> bool:
    """An office admin, for someone who lost their phone and their recovery codes; never for themselves
    (another admin, or `manage.py reset_two_factor`, does that)."""
    return is_office_admin(user) and user.pk != person.pk
