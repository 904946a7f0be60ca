from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperation and call watch")

    def ready(self):
        # -- partners --
        # -- partner requests and cooperations --
        pass
