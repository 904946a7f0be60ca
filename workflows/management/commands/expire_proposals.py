from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from workflows import services


class Command(BaseCommand):
    help = "Move drafting and ready proposals whose call deadline has passed to expired. Safe to rerun."

    def handle(self, *args, **options):
        expired = services.expire_overdue()
        self.stdout.write(_("%(count)d proposal(s) expired.") % {"count": len(expired)})
