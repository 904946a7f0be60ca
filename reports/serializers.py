"""The results as the API answers them (and as the schema describes them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from grants_office.calls.models import Currency
from reports.models import ExchangeRate
from reports.results import COUNTS, Figures, Results


class AmountSerializer(serializers.Serializer):
    currency = serializers.ChoiceField(choices=Currency.choices)
    amount = serializers.DecimalField(max_digits=20, decimal_places=2)


class FiguresSerializer(serializers.Serializer):
    started = serializers.IntegerField(help_text=_("Proposals in the selection."))
    submitted = serializers.IntegerField()
    awarded = serializers.IntegerField()
    rejected = serializers.IntegerField()
    ineligible = serializers.IntegerField()
    reserve = serializers.IntegerField(help_text=_("On the funder's reserve list."))
    pending = serializers.IntegerField(help_text=_("Submitted, no decision yet, not on the reserve list."))
    stopped = serializers.IntegerField(help_text=_("Dropped, withdrawn or expired."))
    decided = serializers.IntegerField(help_text=_("Awarded, rejected or ineligible."))
    success_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        help_text=_("Awarded / decided in percent; null when none is decided."),
    )
    median_days_to_submission = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text=_("From the idea to the submission.")
    )
    members_served = serializers.IntegerField(help_text=_("Member municipalities leading or partnering."))
    requested_amounts = AmountSerializer(many=True, help_text=_("Per currency, over submitted proposals."))
    requested_eur = serializers.DecimalField(max_digits=20, decimal_places=2)
    awarded_amounts = AmountSerializer(many=True, help_text=_("Per currency, over awarded proposals."))
    awarded_eur = serializers.DecimalField(
        max_digits=20, decimal_places=2, help_text=_("Converted amounts only: see not_converted.")
    )


class GroupSerializer(FiguresSerializer):
    key = serializers.CharField(allow_null=True, help_text=_("The group's id, province or year; null: none."))
    label = serializers.CharField()


class AppliedFiltersSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False)
    year_of = serializers.CharField()
    programme = serializers.IntegerField(required=False)
    funder_kind = serializers.CharField(required=False)
    call = serializers.IntegerField(required=False)
    province = serializers.CharField(required=False)
    municipality = serializers.IntegerField(required=False)
    coordinator = serializers.IntegerField(required=False)
    group_by = serializers.CharField()


class RateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "rate", "valid_on", "source"]


class NotConvertedSerializer(serializers.Serializer):
    currency = serializers.CharField()
    message = serializers.CharField()


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    province = serializers.CharField()


class ResultsSerializer(serializers.Serializer):
    filters = AppliedFiltersSerializer()
    period_end = serializers.DateField(help_text=_("Amounts are converted with the rates valid on this day."))
    totals = FiguresSerializer()
    groups = GroupSerializer(many=True)
    exchange_rates = RateSerializer(many=True, help_text=_("The rates the EUR totals used."))
    not_converted = NotConvertedSerializer(many=True, help_text=_("Amounts left out of the EUR totals."))
    members_served = serializers.IntegerField()
    members_not_served = MemberSerializer(many=True)


def _amounts(amounts: dict) -> list[dict]:
    return [{"currency": currency, "amount": amount} for currency, amount in sorted(amounts.items())]


def figures_body(figures: Figures) -> dict:
    return {
        **{name: getattr(figures, name) for name in COUNTS},
        "decided": figures.decided,
        "success_rate": figures.success_rate,
        "median_days_to_submission": figures.median_days,
        "members_served": figures.members_served,
        "requested_amounts": _amounts(figures.requested),
        "requested_eur": figures.requested_eur.eur,
        "awarded_amounts": _amounts(figures.awarded_amount),
        "awarded_eur": figures.awarded_eur.eur,
    }


def results_body(found: Results) -> dict:
    return ResultsSerializer(
        {
            "filters": found.applied,
            "period_end": found.period_end,
            "totals": figures_body(found.total),
            "groups": [
                {
                    "key": None if row.key is None else str(row.key),
                    "label": row.label,
                    **figures_body(row.figures),
                }
                for row in found.rows
            ],
            "exchange_rates": found.rates_used,
            "not_converted": [{"currency": c, "message": m} for c, m in found.not_converted],
            "members_served": found.members_served,
            "members_not_served": found.members_not_served,
        }
    ).data
