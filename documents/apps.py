from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from documents import owners  # noqa: PLC0415 -- app ready
        from documents.library import LibraryPolicy  # noqa: PLC0415 -- app ready
        from documents.models import DocumentSet  # noqa: PLC0415 -- app ready

        owners.register(DocumentSet.Purpose.LIBRARY, LibraryPolicy())
