from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        import privacy.tasks  # noqa: F401, PLC0415 -- app ready: registers the tasks published by name
        from privacy import tracked  # noqa: PLC0415 -- app ready

        tracked.register()
        from privacy.middleware import ask_at_sign_in  # noqa: PLC0415 -- app ready

        user_logged_in.connect(ask_at_sign_in, dispatch_uid="privacy-notice-at-sign-in")
