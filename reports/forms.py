"""The rates page's form (the service checks it again: the API of tomorrow takes the same door)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import RATED_CURRENCIES


class ExchangeRateForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=RATED_CURRENCIES)
    rate = forms.DecimalField(
        label=_("EUR per unit"),
        max_digits=16,
        decimal_places=8,
        min_value=Decimal("0.00000001"),
        help_text=_("How many euros one unit is worth, e.g. 0.0268 for one lira."),
    )
    valid_on = forms.DateField(label=_("Valid on"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Source"), max_length=200, help_text=_("e.g. TCMB 2026-12-01"))
