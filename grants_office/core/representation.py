"""How written-out `to_representation` methods format values, as the declared DRF fields would: each
field built once per process, not bound per serializer (`self.fields` deep-copies every declared field,
~2 ms a list, issue 18). A written-out representation is pinned by a test that compares it with the
declared fields' output."""

from rest_framework import serializers

MONEY = serializers.DecimalField(max_digits=14, decimal_places=2)
MOMENT = serializers.DateTimeField()
HOURS = serializers.DecimalField(max_digits=6, decimal_places=1)


def money(value):
    """An amount (or any number of two decimal places: scores, weights, rates) as the declared
    DecimalField writes it; None stays None."""
    return None if value is None else MONEY.to_representation(value)


def moment(value):
    """A datetime as the API writes it (in the current zone, ISO 8601); None stays None."""
    return None if value is None else MOMENT.to_representation(value)
