from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        import notifications.tasks  # noqa: F401, PLC0415 -- app ready: registers the tasks published by name
        from notifications import receivers  # noqa: PLC0415 -- app ready: they import the models

        receivers.connect()
