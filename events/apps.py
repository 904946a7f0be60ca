from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Capacity building: events and certificates")

    def ready(self):
        # -- materials: library sets an event names (documents' owner policy stays the library's) --
        # -- certificates --
        pass
