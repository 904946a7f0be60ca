from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from documents import owners
        from documents.models import DocumentSet
        from documents.permissions import LibraryPolicy

        owners.register(DocumentSet.Purpose.LIBRARY, LibraryPolicy())
