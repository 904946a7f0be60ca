from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from documents import services


class Command(BaseCommand):
    help = "Delete uploads that were signed but never completed, and their stored objects. Safe to rerun."

    def handle(self, *args, **options):
        removed = services.remove_abandoned_uploads()
        self.stdout.write(_("%(count)d abandoned upload(s) removed.") % {"count": removed})
