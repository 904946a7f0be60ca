"""Run the retention job now (it also runs every night: `privacy.apply_retention`)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from privacy import retention, services


class Command(BaseCommand):
    help = (
        "Destroy or anonymise what has outlived its retention period (PRIVACY_RETENTION_MONTHS) and record "
        "the run; --dry-run counts what is due and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what is due; change nothing")

    def handle(self, *args, dry_run=False, **options):
        run = services.apply_retention(dry_run=dry_run)
        labels = {rule.kind: rule.label for rule in retention.RULES}
        for result in run.results:
            self.stdout.write(
                f"{result['kind']:20} {result['rows']:8}  {result['method']:10} "
                f"{_('before')} {result['before'][:10]}  ({labels[result['kind']]})"
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
        elif run.pk:
            self.stdout.write(self.style.SUCCESS(_("Recorded as retention run %(id)s.") % {"id": run.pk}))
        else:
            self.stdout.write(_("Nothing was due."))
