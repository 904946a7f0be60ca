"""Amounts per currency and their EUR total, with the rates the office recorded.

An amount is converted with the newest rate of its currency valid on or before the end of the period
reported (a year's 31 December, else today). Without such a rate it is not converted: the amount is
shown in its currency, left out of the EUR total, and the report says so. Rates are few (a currency or
two, a rate a month), so one query reads them all and every period picks from them in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from grants_office.calls.models import Currency
from reports.models import ExchangeRate

CENT = Decimal("0.01")


class RateBook:
    """Every recorded rate, newest first per currency (one query)."""

    def __init__(self, rates=None):
        rates = ExchangeRate.objects.order_by("currency", "-valid_on") if rates is None else rates
        self._by_currency: dict[str, list[ExchangeRate]] = {}
        for rate in rates:
            self._by_currency.setdefault(rate.currency, []).append(rate)

    def rate_on(self, currency: str, day: date) -> ExchangeRate | None:
        """The newest rate of `currency` valid on or before `day`."""
        return next((rate for rate in self._by_currency.get(currency, ()) if rate.valid_on <= day), None)


@dataclass
class Conversion:
    """The EUR total of amounts in several currencies, the rates it used, the currencies it left out."""

    eur: Decimal
    used: dict[str, ExchangeRate] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)


def convert(amounts: dict[str, Decimal], book: RateBook, day: date) -> Conversion:
    """`amounts` (currency -> amount) in EUR, at the rates valid on `day`."""
    conversion = Conversion(eur=Decimal(0))
    for currency, amount in amounts.items():
        if not amount:
            continue
        if currency == Currency.EUR:
            conversion.eur += amount
            continue
        rate = book.rate_on(currency, day)
        if rate is None:
            conversion.missing.add(currency)
            continue
        conversion.used[currency] = rate
        conversion.eur += amount * rate.rate
    conversion.eur = conversion.eur.quantize(CENT)
    return conversion


def not_converted_message(currency: str, day: date) -> str:
    return _("%(currency)s: no exchange rate recorded on or before %(day)s; not in the EUR total.") % {
        "currency": currency,
        "day": date_format(day, "SHORT_DATE_FORMAT"),
    }
