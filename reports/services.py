"""The reports' one write: the office records an exchange rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grants_office.core import errors
from grants_office.core.errors import Conflict, Invalid
from grants_office.members.permissions import is_office_staff
from reports.filters import FIRST_YEAR, LAST_YEAR
from reports.models import RATED_CURRENCIES, ExchangeRate

MAX_RATE = Decimal("99999999")  # the column's 8 digits before the point


def not_permitted() -> Conflict:
    return errors.not_permitted(_("Only the office sees and records the results."))


def cleaned_rate(currency, rate, valid_on, source) -> dict:
    """The values of a rate, checked; `Invalid` with the fields to correct."""
    errors: dict[str, list[str]] = {}
    if currency not in dict(RATED_CURRENCIES):
        errors["currency"] = [_("Choose a currency other than EUR.")]
    try:
        rate = Decimal(str(rate)).quantize(Decimal("0.00000001"))
    except (InvalidOperation, ValueError, TypeError):
        rate = None
    if rate is None or not rate.is_finite() or not Decimal(0) < rate < MAX_RATE:
        errors["rate"] = [_("Give the EUR value of one unit: a number above zero, e.g. 0.0268.")]
    if not isinstance(valid_on, date) or not FIRST_YEAR <= valid_on.year <= LAST_YEAR:
        errors["valid_on"] = [
            _("Give the day the rate is valid on, between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
    source = (source or "").strip()
    if not source or len(source) > 200:
        errors["source"] = [_("Say where the rate comes from (at most 200 characters).")]
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)
    return {"currency": currency, "rate": rate, "valid_on": valid_on, "source": source}


def record_exchange_rate(user, *, currency: str, rate, valid_on: date, source: str) -> ExchangeRate:
    """Record what one unit of `currency` is worth in EUR from `valid_on` on (one rate a day)."""
    if not is_office_staff(user):
        raise not_permitted()
    values = cleaned_rate(currency, rate, valid_on, source)
    try:
        with transaction.atomic():
            return ExchangeRate.objects.create(recorded_by=user, **values)
    except IntegrityError:
        message = _("A rate for %(currency)s on that day is recorded already.") % {"currency": currency}
        raise Invalid(message, fields={"valid_on": [message]}) from None
