from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Proposals")

    def ready(self):
        from workflows.documents_link import register_documents_policy

        register_documents_policy()
