"""Who owns a document set decides who may see and change it.

`documents` does not know what a proposal is: the app that owns sets of a purpose registers a policy
for it (workflows does so for proposals in its AppConfig.ready). The library policy lives here.
"""

from __future__ import annotations

from typing import Protocol

from django.utils.translation import gettext as _

from grants_office.core.errors import Conflict, NotFound, Reason
from grants_office.core.people import signed_in


class OwnerPolicy(Protocol):
    def can_view(self, user, document_set) -> bool:
        """May this user know the set and read its documents?"""

    def change_blocked(self, user, document_set, kind: str) -> Reason | None:
        """Why the user may not add a document or a version of this kind now; None if they may."""

    def lock_owner(self, document_set) -> None:
        """Lock the owner's row inside the current transaction, so that a change of the owner (e.g. a
        submission) and a new version are serialised; a policy with nothing to lock does nothing."""


_policies: dict[str, OwnerPolicy] = {}


def register(purpose: str, policy: OwnerPolicy) -> None:
    _policies[purpose] = policy


def policy_for(document_set) -> OwnerPolicy:
    try:
        return _policies[document_set.purpose]
    except KeyError:
        raise LookupError(f"No owner policy for document sets of purpose {document_set.purpose!r}") from None


def can_view(user, document_set) -> bool:
    if not signed_in(user):
        return False
    return policy_for(document_set).can_view(user, document_set)


def change_blocked(user, document_set, kind: str) -> Reason | None:
    """Why the user may not add a document or a version of this kind to the set now; None if they may."""
    return policy_for(document_set).change_blocked(user, document_set, kind)


def ensure_visible(user, document_set) -> None:
    """NotFound for a set the user may not see: it answers as if it did not exist."""
    if not can_view(user, document_set):
        raise NotFound(_("Not found."))


def ensure_may_change(user, document_set, kind: str) -> None:
    """Conflict, with the reason, when the user may not add a document or a version of this kind now."""
    reason = change_blocked(user, document_set, kind)
    if reason is not None:
        raise Conflict(reason.message, reasons=[reason], code="documents_locked")
