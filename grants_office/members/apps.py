from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "grants_office.members"
    label = "members"
    verbose_name = _("Member registry")

    def ready(self):
        from grants_office.members import roles  # noqa: PLC0415 -- app ready

        post_migrate.connect(roles.sync_office_groups, dispatch_uid="members.sync_office_groups")
