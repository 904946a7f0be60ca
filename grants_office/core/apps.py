from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "grants_office.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from auditlog.models import LogEntry  # noqa: PLC0415 -- app ready

        from grants_office.core import audit, tokens  # noqa: PLC0415 -- app ready

        tokens.connect()
        pre_save.connect(audit.mark_step, sender=LogEntry, dispatch_uid="core.audit.mark_step")
