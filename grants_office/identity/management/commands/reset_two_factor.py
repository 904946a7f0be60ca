"""Reset a person's second factor from the command line, for someone who lost their phone and their
recovery codes (and for the last office admin, whom no other admin can reset)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from grants_office.core.commands import person_argument
from grants_office.core.errors import DomainError
from grants_office.identity import services


class Command(BaseCommand):
    help = (
        "Reset a person's two-factor sign-in: their authenticator app and recovery codes are removed and "
        "they are signed out everywhere; office accounts set up a new app at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("person", help="user name, e-mail or id")
        parser.add_argument("--reason", required=True, help="why (kept in the audit trail)")
        parser.add_argument("--by", help="the office admin who resets (user name); the operator if left out")

    def handle(self, *args, person, reason, by=None, **options):
        subject = person_argument(person)
        actor = person_argument(by) if by else None
        try:
            counts = services.reset_second_factor(actor, subject, reason)
        except DomainError as refusal:
            raise CommandError(refusal.message) from None
        for name, rows in sorted(counts.items()):
            self.stdout.write(f"  {name:16} {rows:6}")
        self.stdout.write(self.style.SUCCESS(_("The second factor of %(who)s is reset.") % {"who": subject}))
