from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "grants_office.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from grants_office.core import tokens  # noqa: PLC0415 -- app ready

        tokens.connect()
