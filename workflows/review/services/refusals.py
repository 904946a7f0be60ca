"""The refusals every write of expert review may answer with (409, with their reason codes)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from grants_office.core.errors import Conflict, Reason


def not_permitted(message: str) -> Conflict:
    return Conflict(message, reasons=[Reason("not_permitted", message)], code="not_permitted")


def round_closed() -> Conflict:
    message = _("The review round is closed.")
    return Conflict(message, reasons=[Reason("round_closed", message)], code="round_closed")
