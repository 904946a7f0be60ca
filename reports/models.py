"""What the reports keep of their own: the exchange rates the office records to show amounts in EUR."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grants_office.calls.models import Currency

# Every currency a proposal may be in except the one the totals are in.
RATED_CURRENCIES = [(value, label) for value, label in Currency.choices if value != Currency.EUR]


class ExchangeRate(models.Model):
    """EUR per one unit of a currency, valid from a day on (until a newer one), as a source states it.

    The results convert an amount with the newest rate valid on or before the end of the period they
    report (`reports.rates`); without one, the amount is shown but left out of the EUR total.
    """

    currency = models.CharField(_("currency"), max_length=3, choices=RATED_CURRENCIES)
    rate = models.DecimalField(
        _("EUR per unit"),
        max_digits=16,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text=_("How many euros one unit of the currency is worth, e.g. 0.0268 for one lira."),
    )
    valid_on = models.DateField(_("valid on"))
    source = models.CharField(_("source"), max_length=200, help_text=_("e.g. TCMB 2026-12-01"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["currency", "-valid_on"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_on"], name="one_rate_per_currency_and_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(condition=~Q(currency=Currency.EUR), name="exchange_rate_not_eur"),
        ]

    def __str__(self):
        return f"1 {self.currency} = {self.plain_rate} EUR ({self.valid_on:%Y-%m-%d})"

    @property
    def plain_rate(self) -> Decimal:
        """The rate without trailing zeros (0.0268, not 0.02680000), never in exponent notation."""
        rate = self.rate.normalize()
        return rate.quantize(Decimal(1)) if rate == rate.to_integral() else rate
