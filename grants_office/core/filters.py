"""Filters and checks of moments shared by the API's filter sets and serializers."""

from datetime import UTC, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

# Python's datetime spans the years 1 to 9999: a day inside either end, any offset can still show it.
EARLIEST = datetime(1000, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)
# What the office records (meetings, due dates, submissions) is recent; from here every time zone's
# offset is whole minutes (since 1972), so the API writes the moment back as RFC 3339 in any zone.
EARLIEST_RECORDED = datetime(1980, 1, 1, tzinfo=UTC)
MAX_ID = 2**63 - 1  # a BigAutoField


class MomentValidator:
    """A moment from `earliest` to LATEST. Outside Python's range a value with a large offset
    (`0001-01-01T00:00+14:00`) cannot even be converted to UTC, and PostgreSQL would store years a
    Python client cannot read back."""

    def __init__(self, earliest: datetime = EARLIEST):
        self.earliest = earliest

    def __call__(self, value: datetime | None) -> None:
        if value is None:
            return
        try:
            in_utc = value.astimezone(UTC)
        except (OverflowError, ValueError):
            in_utc = None
        if in_utc is None or not self.earliest <= in_utc <= LATEST:
            raise self.error()

    def error(self) -> ValidationError:
        return ValidationError(
            _("Give a moment between the years %(first)d and %(last)d."),
            code="out_of_range",
            params={"first": self.earliest.year, "last": LATEST.year},
        )

    def __eq__(self, other):
        return isinstance(other, MomentValidator) and other.earliest == self.earliest


validate_moment = MomentValidator()
validate_recorded_moment = MomentValidator(EARLIEST_RECORDED)


class MomentField(IsoDateTimeField):
    """The moment in UTC: the database compares it without the offset it came with, which may be one
    no database takes (PostgreSQL refuses `-23:13`, ISO 8601 allows it)."""

    def to_python(self, value):
        try:
            value = super().to_python(value)
        except OverflowError:  # a naive value at the end of time, made aware in the current zone
            raise validate_moment.error() from None
        validate_moment(value)
        return None if value is None else value.astimezone(UTC)


class MomentFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date and time (`2027-03-05T17:00:00+01:00`) within `validate_moment`'s range."""

    field_class = MomentField


class IdFilter(filters.NumberFilter):
    """An object's id: a whole number in the range of the database's ids, where django-filter's
    NumberFilter takes any decimal (`-4.4e+265`) and leaves the database to overflow."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
