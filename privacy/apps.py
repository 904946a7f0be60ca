from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        import privacy.tasks  # noqa: F401, PLC0415 -- app ready: registers the tasks published by name
        from privacy import tracked  # noqa: PLC0415 -- app ready

        tracked.register()
