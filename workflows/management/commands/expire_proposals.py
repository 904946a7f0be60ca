from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from workflows import services


class Command(BaseCommand):
    help = "Move drafting and ready proposals whose call deadline has passed to expired. Safe to rerun."

    def handle(self, *args, **options):
        expired = services.expire_overdue()
        self.stdout.write(
            ngettext("%(count)d proposal expired.", "%(count)d proposals expired.", len(expired))
            % {"count": len(expired)}
        )
