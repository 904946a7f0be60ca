"""Who reads and changes an agreement's documents: registered with `documents.owners` for sets of
purpose AGREEMENT (from CooperationConfig.ready), as workflows registers the proposals' policy."""

from django.utils.translation import gettext as _

from cooperation import permissions as can
from documents import owners
from documents.models import DocumentSet
from grants_office.core.errors import Reason


class AgreementDocumentsPolicy:
    """Every signed-in member reads the registry's documents; the office changes them."""

    def can_view(self, user, document_set) -> bool:
        return can.takes_part(user)

    def change_blocked(self, user, document_set, kind: str) -> Reason | None:
        if can.records_cooperations(user):
            return None
        return Reason("not_permitted", _("Only the office changes an agreement's documents."))

    def lock_owner(self, document_set) -> None:
        return None  # nothing of the agreement depends on its documents


def register_documents_policy() -> None:
    owners.register(DocumentSet.Purpose.AGREEMENT, AgreementDocumentsPolicy())
