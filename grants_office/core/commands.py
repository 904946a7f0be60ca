"""What the management commands share: the person an operator names on the command line."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from grants_office.core.people import person_named


def person_argument(who: str):
    """The one account `who` names (user name, e-mail or id), else the command stops saying so."""
    person = person_named(who)
    if person is None:
        raise CommandError(
            _("No single person is %(who)s (give the user name, e-mail or id).") % {"who": who}
        )
    return person
