from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from documents.storage_check import check_round_trip


class Command(BaseCommand):
    help = "Check the document storage with a round trip (write, stat, read back, delete) and report."

    def handle(self, *args, **options):
        results = check_round_trip()
        for label, ok, detail in results:
            mark = self.style.SUCCESS("ok") if ok else self.style.ERROR(_("FAILED"))
            self.stdout.write(f"{label:18} {mark}  {detail}")
        failed = [label for label, ok, _detail in results if not ok]
        if failed:
            raise CommandError(_("Storage check failed: %(steps)s.") % {"steps": ", ".join(failed)})
        self.stdout.write(self.style.SUCCESS(_("Storage works.")))
