"""Cleaning a row: each column's value checked and turned into the registry's value by its own cleaner,
every problem of the row reported at once."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from grants_office.members.imports.reading import Row, column_key
from grants_office.members.models import Municipality
from grants_office.members.provinces import match_province

KIND_VALUES = {
    Municipality.Kind.METROPOLITAN: ("metropolitan", "buyuksehir"),
    Municipality.Kind.PROVINCIAL: ("provincial", "il"),
    Municipality.Kind.DISTRICT: ("district", "ilce"),
    Municipality.Kind.TOWN: ("town", "belde"),
}
MEMBERSHIP_VALUES = {
    Municipality.Membership.MEMBER: ("member", "uye"),
    Municipality.Membership.NON_MEMBER: ("non_member", "nonmember", "uye_degil", "uye_olmayan"),
    Municipality.Membership.RESIGNED: ("resigned", "ayrildi", "ayrilmis", "ayrilan"),
}
MAX_POPULATION = 2_147_483_647  # what the database column holds

_KIND_BY_ALIAS = {alias: kind for kind, aliases in KIND_VALUES.items() for alias in aliases}
_MEMBERSHIP_BY_ALIAS = {alias: status for status, aliases in MEMBERSHIP_VALUES.items() for alias in aliases}
_POPULATION = re.compile(r"\d+|\d{1,3}(?:[. \u00a0]\d{3})+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TURKISH_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def _value_key(value: str) -> str:
    key = column_key(value)
    return key.removesuffix("_belediyesi")


def clean_row(row: Row, columns: dict[str, str]) -> tuple[dict, list[str]]:
    """The row's values as model values, and what is wrong with it."""
    raw = {column: (row.values.get(name) or "").strip() for column, name in columns.items()}
    messages: list[str] = []
    cleaned: dict = {}
    if row.extra_values:
        messages.append(
            _("The row has more values than the header has columns; check the delimiter and quoting.")
        )
    # the required columns are always there (`map_columns` refuses a file without them)
    for column, clean in CLEANERS.items():
        if column in raw:
            cleaned[column], error = clean(raw[column])
            if error:
                messages.append(error)
    return cleaned, messages


# Each column's cleaner: the raw text -> (the registry's value, what is wrong with it or None).


def _name(value: str) -> tuple[str, str | None]:
    name = " ".join(value.split())
    return name, None if name else _("The name is empty.")


def _province(value: str) -> tuple[str | None, str | None]:
    province = match_province(value)
    if not value:
        return province, _("The province is empty.")
    if province is None:
        return province, _("Unknown province “%(value)s”.") % {"value": value}
    return province, None


def _kind(value: str) -> tuple[str | None, str | None]:
    kind = _KIND_BY_ALIAS.get(_value_key(value))
    return kind, _kind_error(value) if kind is None else None


def _district(value: str) -> tuple[str, None]:
    return " ".join(value.split()), None


def _membership_status(value: str) -> tuple[str | None, str | None]:
    status = _MEMBERSHIP_BY_ALIAS.get(_value_key(value))
    return status, _membership_error(value) if status is None else None


def _contact_email(email: str) -> tuple[str, str | None]:
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return email, _("“%(value)s” is not an e-mail address.") % {"value": email}
    return email, None


def _kind_error(value: str) -> str:
    if not value:
        return _("The type is empty (metropolitan, provincial, district or town).")
    return _(
        "Unknown type “%(value)s”: use metropolitan/büyükşehir, provincial/il, district/ilçe or town/belde."
    ) % {"value": value}


def _membership_error(value: str) -> str:
    if not value:
        return _("The membership status is empty (member, non_member or resigned).")
    return _(
        "Unknown membership status “%(value)s”: use member/üye, non_member/üye değil or resigned/ayrıldı."
    ) % {"value": value}


def _population(value: str) -> tuple[int | None, str | None]:
    if not value:
        return None, None
    if not _POPULATION.fullmatch(value):
        return None, _("The population “%(value)s” is not a whole number (e.g. 12345 or 12.345).") % {
            "value": value
        }
    population = int(re.sub(r"\D", "", value))
    if population > MAX_POPULATION:
        return None, _("The population %(value)s is too large.") % {"value": value}
    return population, None


def _date(value: str) -> tuple[date | None, str | None]:
    if not value:
        return None, None
    try:
        if match := _ISO_DATE.fullmatch(value):
            year, month, day = match.groups()
            return date(int(year), int(month), int(day)), None
        if match := _TURKISH_DATE.fullmatch(value):
            day, month, year = match.groups()
            return date(int(year), int(month), int(day)), None
    except ValueError:
        pass
    return None, _("The date “%(value)s” is not a valid date as YYYY-MM-DD or DD.MM.YYYY.") % {"value": value}


CLEANERS = {
    "name": _name,
    "province": _province,
    "kind": _kind,
    "district": _district,
    "population": _population,
    "membership_status": _membership_status,
    "membership_date": _date,
    "contact_email": _contact_email,
}


def model_errors(municipality: Municipality) -> list[str]:
    """What the model itself refuses (lengths and the like), as sentences naming the field."""
    try:
        municipality.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            f"{Municipality._meta.get_field(name).verbose_name}: {message}"
            if name != "__all__"
            else str(message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []
