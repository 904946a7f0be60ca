"""Erase a person by anonymisation from the command line, as the office does from the person's page."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from grants_office.core.commands import person_argument
from grants_office.core.errors import Conflict
from privacy import services


class Command(BaseCommand):
    help = (
        "Erase a person by anonymisation: their name, e-mail and user name are replaced everywhere by a "
        "pseudonym and their account is closed; refused when a legal hold applies. --dry-run tells what "
        "would change and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("person", help="user name, e-mail or id")
        parser.add_argument(
            "--reason", required=True, help="the request this answers (kept with the erasure)"
        )
        parser.add_argument("--by", help="the office admin who erases (user name); the operator if left out")
        parser.add_argument("--dry-run", action="store_true", help="count what would change; change nothing")

    def handle(self, *args, person, reason, by=None, dry_run=False, **options):
        subject = person_argument(person)
        actor = person_argument(by) if by else None
        try:
            erasure = services.erase_person(actor, subject, reason, dry_run=dry_run)
        except Conflict as refusal:
            lines = [f"  {r.code}: {r.message}" for r in refusal.reasons]
            raise CommandError("\n".join([f"{refusal.message}", *lines])) from None
        said = (
            _("Person %(id)s would be %(pseudonym)s.")
            if dry_run
            else _("Person %(id)s is now %(pseudonym)s.")
        )
        self.stdout.write(said % {"id": subject.pk, "pseudonym": erasure.pseudonym})
        for name, rows in sorted(erasure.counts.items()):
            self.stdout.write(f"  {name:32} {rows:6}")
        if dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Erased.")))
