from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "grants_office.core"
    label = "core"
    verbose_name = "Core"
