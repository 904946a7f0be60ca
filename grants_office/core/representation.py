"""How written-out `to_representation` methods format values, as the declared DRF fields would: each
field built once per process, not bound per serializer (`self.fields` deep-copies every declared field,
~2 ms a list, issue 18). A written-out representation is pinned by a test that compares it with the
declared fields' output."""

from datetime import date, datetime
from decimal import Decimal
from functools import cache

from rest_framework import serializers

MONEY = serializers.DecimalField(max_digits=14, decimal_places=2)
MOMENT = serializers.DateTimeField()
HOURS = serializers.DecimalField(max_digits=6, decimal_places=1)


def moment(value):
    """A datetime as the API writes it (in the current zone, ISO 8601); None stays None."""
    return None if value is None else MOMENT.to_representation(value)


@cache
def _decimal(model, name: str) -> serializers.DecimalField:
    field = model._meta.get_field(name)
    return serializers.DecimalField(max_digits=field.max_digits, decimal_places=field.decimal_places)


def plain(instance, names) -> dict:
    """The model fields `names` of `instance` as a ModelSerializer declaring them writes them (numbers
    with their field's decimal places, moments in the current zone): one list of names, the
    serializer's `Meta.fields`, for both. Only plain values: a relation is the caller's."""
    written = {}
    for name in names:
        value = instance.pk if name == "id" else getattr(instance, name)
        if isinstance(value, Decimal):
            value = _decimal(type(instance), name).to_representation(value)
        elif isinstance(value, datetime):
            value = moment(value)
        elif isinstance(value, date):
            value = value.isoformat()
        written[name] = value
    return written
