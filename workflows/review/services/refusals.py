"""The refusals every write of expert review may answer with (409, with their reason codes)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from grants_office.core.errors import Conflict, Reason, not_permitted

__all__ = ["not_permitted", "round_closed"]


def round_closed() -> Conflict:
    message = _("The review round is closed.")
    return Conflict(message, reasons=[Reason("round_closed", message)], code="round_closed")
