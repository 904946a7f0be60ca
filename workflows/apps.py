from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Proposals")

    def ready(self):
        from workflows import deadlines  # noqa: PLC0415 -- app ready
        from workflows.document_policy import register_documents_policy  # noqa: PLC0415 -- app ready

        register_documents_policy()
        deadlines.connect()
