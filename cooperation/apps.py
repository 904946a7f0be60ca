from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperation and call watch")

    def ready(self):
        # -- partners --
        from cooperation import partner_receivers  # noqa: PLC0415 -- app ready

        partner_receivers.connect()
        # -- partner requests and cooperations --
        from cooperation.document_policy import register_documents_policy  # noqa: PLC0415 -- app ready

        register_documents_policy()
