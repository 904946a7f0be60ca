from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from documents import services


class Command(BaseCommand):
    help = "Delete uploads that were signed but never completed, and their stored objects. Safe to rerun."

    def handle(self, *args, **options):
        removed = services.remove_abandoned_uploads()
        self.stdout.write(
            ngettext("%(count)d abandoned upload removed.", "%(count)d abandoned uploads removed.", removed)
            % {"count": removed}
        )
