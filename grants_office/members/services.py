"""Writes to the member registry that a user can cause; today the CSV import of municipalities.

The import is all or nothing: every row is validated first, and only a file without a single error is
written, inside one transaction. The file format is described in docs/import.md and in the command's
help (`manage.py import_municipalities --help`).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grants_office.calls.models import known_time_zones
from grants_office.core.errors import Invalid
from grants_office.members.models import Municipality, UserProfile
from grants_office.members.provinces import ascii_fold, match_province

# The column names a file may use, after folding (see `_column_key`): English first, then Turkish.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "municipality", "ad", "adi", "belediye", "belediye_adi"),
    "province": ("province", "il"),
    "district": ("district", "ilce"),
    "kind": ("kind", "type", "tur", "turu", "belediye_turu"),
    "population": ("population", "nufus"),
    "membership_status": ("membership_status", "status", "uyelik_durumu", "uyelik"),
    "membership_date": ("membership_date", "uyelik_tarihi"),
    "contact_email": ("contact_email", "email", "e_mail", "e_posta", "eposta"),
}
REQUIRED_COLUMNS = ("name", "province", "kind")
TURKISH_COLUMNS = {"name": "ad", "province": "il", "kind": "tür"}  # named in the missing-column error
# Fields an import may change on a municipality that is already in the registry (the name and the
# province identify it and stay as the registry spells them).
UPDATABLE_FIELDS = ("district", "kind", "population", "membership_status", "membership_date", "contact_email")

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
DELIMITERS = (";", ",", "\t")
MAX_POPULATION = 2_147_483_647  # what the database column holds

_COLUMN_BY_ALIAS = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
_KIND_BY_ALIAS = {alias: kind for kind, aliases in KIND_VALUES.items() for alias in aliases}
_MEMBERSHIP_BY_ALIAS = {alias: status for status, aliases in MEMBERSHIP_VALUES.items() for alias in aliases}
_POPULATION = re.compile(r"\d+|\d{1,3}(?:[. \u00a0]\d{3})+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TURKISH_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row; `line` is the physical line in the file (the header is line 1).

    `line` is None for a problem with the whole file (its encoding, or no rows at all).
    """

    line: int | None
    messages: tuple[str, ...]

    def __str__(self) -> str:
        reasons = " ".join(self.messages)
        if self.line is None:
            return reasons
        return _("line %(line)d: %(reasons)s") % {"line": self.line, "reasons": reasons}


class ImportRejected(Invalid):
    """The file has errors and nothing was imported; `errors` lists every one of them."""

    code = "import_rejected"

    def __init__(self, errors: list[RowError]):
        rows = sum(1 for error in errors if error.line is not None and error.line > 1)
        if rows:
            message = ngettext(
                "Nothing was imported: %(count)d row has errors.",
                "Nothing was imported: %(count)d rows have errors.",
                rows,
            ) % {"count": rows}
        else:
            message = _("Nothing was imported: the file cannot be read as a municipality list.")
        super().__init__(
            message, fields={(f"line {e.line}" if e.line else "file"): list(e.messages) for e in errors}
        )
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    extra_values: int = 0


Source = str | os.PathLike | bytes | io.IOBase | Iterable[Mapping[str, object]]


def import_municipalities(source: Source, *, dry_run: bool = False) -> ImportResult:
    """Create or update municipalities from a CSV file, all or nothing.

    `source` is a path, the file's bytes, an open file (binary or text), or already parsed rows: an
    iterable of mappings from column name to value (their line numbers then count from 2, as if the
    first row followed a header line). Raises `ImportRejected` listing every bad row, having written
    nothing; with `dry_run` it validates and counts without writing.
    """
    header, header_line, rows = _read(source)
    columns, ignored, errors = _map_columns(header, header_line)
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(None, (_("The file has no municipality rows under its header."),))])

    try:
        with transaction.atomic():
            # Locked so that nobody edits a municipality between its check and its update.
            existing = _existing_by_key(lock=not dry_run)
            result, planned, errors = _check(rows, columns, existing)
            if errors:
                raise ImportRejected(errors)
            if not dry_run:
                Municipality.objects.bulk_create([m for m, is_new in planned if is_new], batch_size=500)
                Municipality.objects.bulk_update(
                    [m for m, is_new in planned if not is_new], UPDATABLE_FIELDS, batch_size=500
                )
    except IntegrityError as error:
        # Someone added one of these municipalities while the file was being checked.
        raise ImportRejected(
            [RowError(None, (_("The registry changed during the import; run it again. (%s)") % error,))]
        ) from error
    result.dry_run = dry_run
    result.ignored_columns = ignored
    return result


def _check(
    rows: list[_Row], columns: dict[str, str], existing: dict[tuple[str, str], list[Municipality]]
) -> tuple[ImportResult, list[tuple[Municipality, bool]], list[RowError]]:
    """Counts, the municipalities to save (with whether each is new), and every row's errors."""
    result = ImportResult()
    planned: list[tuple[Municipality, bool]] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        cleaned, messages = _clean_row(row, columns)
        matches: list[Municipality] = []
        if cleaned["name"] and cleaned["province"]:
            key = (cleaned["province"], _name_key(cleaned["name"]))
            if key in seen:
                messages.append(
                    _("The same municipality as on line %(line)d (%(name)s, %(province)s).")
                    % {"line": seen[key], "name": cleaned["name"], "province": cleaned["province"]}
                )
            else:
                seen[key] = row.line
            matches = existing.get(key, [])
            if len(matches) > 1:
                messages.append(
                    _("More than one municipality in the registry is spelled like %(name)s in %(province)s.")
                    % {"name": cleaned["name"], "province": cleaned["province"]}
                )
        if messages:
            errors.append(RowError(row.line, tuple(messages)))
            continue
        municipality, is_new, changed = _apply(cleaned, matches[0] if matches else None)
        model_messages = _model_errors(municipality)
        if model_messages:
            errors.append(RowError(row.line, tuple(model_messages)))
            continue
        if is_new:
            result.created += 1
        elif changed:
            result.updated += 1
        else:
            result.unchanged += 1
        if is_new or changed:
            planned.append((municipality, is_new))
    return result, planned, errors


# Reading ---------------------------------------------------------------------------------------------


def _read(source: Source) -> tuple[list[str], int, list[_Row]]:
    """The header, the line it is on, and the non-empty rows with the physical line each starts on."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            source = handle.read()
    elif hasattr(source, "read"):
        source = source.read()
    if isinstance(source, bytes):
        text = _decode(source)
    elif isinstance(source, str):
        text = source.lstrip("\ufeff")
    else:
        return _read_mappings(source)
    if not text.strip():
        raise ImportRejected([RowError(None, (_("The file is empty."),))])

    delimiter, skip = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 1
    rows: list[_Row] = []
    last_line = 0
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if line <= skip or not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_line = cells, line
                continue
            values = dict(zip(header, cells, strict=False))
            extra = [cell for cell in cells[len(header) :] if cell.strip()]
            rows.append(_Row(line, values, extra_values=len(extra)))
    except csv.Error as error:
        raise ImportRejected(
            [RowError(reader.line_num, (_("The CSV cannot be read here: %(error)s") % {"error": error},))]
        ) from error
    return header or [], header_line, rows


def _read_mappings(source: Iterable[Mapping[str, object]]) -> tuple[list[str], int, list[_Row]]:
    header: list[str] = []
    rows = []
    for index, mapping in enumerate(source):
        for key in mapping:
            if key not in header:
                header.append(key)
        values = {key: "" if value is None else str(value) for key, value in mapping.items()}
        rows.append(_Row(index + 2, values))
    return header, 1, rows


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1254 (Excel's Turkish CSV)."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRejected(
            [RowError(None, (_("This is a spreadsheet workbook, not CSV: save it as CSV and try again."),))]
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        if b"\0" not in data:
            try:
                return data.decode("cp1254")
            except UnicodeDecodeError:
                pass
    raise ImportRejected(
        [
            RowError(
                None, (_("The file is neither UTF-8 nor Windows-1254 (Turkish) text; save it as CSV UTF-8."),)
            )
        ]
    )


def _sniff_delimiter(text: str) -> tuple[str, int]:
    """The delimiter, and how many lines to skip before the header.

    Excel may write a first line `sep=;` naming the delimiter; otherwise it is whichever of ; , and tab
    the header line holds most (a comma if none).
    """
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if match := re.fullmatch(r"\s*sep=(.)\s*", line):
                return match.group(1), number
            counts = {delimiter: line.count(delimiter) for delimiter in DELIMITERS}
            best = max(DELIMITERS, key=lambda d: counts[d])
            return (best if counts[best] else ","), 0
    return ",", 0


def _column_key(name: str) -> str:
    """'Üyelik Durumu' -> 'uyelik_durumu', 'E-posta' -> 'e_posta', 'İlçe' -> 'ilce'."""
    return re.sub(r"[\s\-.]+", "_", ascii_fold(name.replace("\ufeff", ""))).strip("_")


def _value_key(value: str) -> str:
    key = _column_key(value)
    return key.removesuffix("_belediyesi")


def _map_columns(header: list[str], line: int) -> tuple[dict[str, str], list[str], list[RowError]]:
    """Field name -> the file's column name; the columns it does not know; header errors."""
    columns: dict[str, str] = {}
    ignored: list[str] = []
    messages: list[str] = []
    for name in header:
        column = _COLUMN_BY_ALIAS.get(_column_key(name))
        if column is None:
            if name.strip():
                ignored.append(name.strip())
        elif column in columns:
            messages.append(
                _("The columns %(first)s and %(second)s both give the %(field)s.")
                % {"first": columns[column], "second": name, "field": column}
            )
        else:
            columns[column] = name
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        names = ", ".join(f"{column} ({TURKISH_COLUMNS[column]})" for column in missing)
        messages.append(
            ngettext(
                "Missing required column: %(columns)s.",
                "Missing required columns: %(columns)s.",
                len(missing),
            )
            % {"columns": names}
        )
    return columns, ignored, [RowError(line, tuple(messages))] if messages else []


# Validating ------------------------------------------------------------------------------------------


def _clean_row(row: _Row, columns: dict[str, str]) -> tuple[dict, list[str]]:
    """The row's values as model values, and what is wrong with it."""
    raw = {column: (row.values.get(name) or "").strip() for column, name in columns.items()}
    messages: list[str] = []
    cleaned: dict = {}
    if row.extra_values:
        messages.append(
            _("The row has more values than the header has columns; check the delimiter and quoting.")
        )

    name = " ".join(raw["name"].split())
    if not name:
        messages.append(_("The name is empty."))
    cleaned["name"] = name

    province = match_province(raw["province"])
    if not raw["province"]:
        messages.append(_("The province is empty."))
    elif province is None:
        messages.append(_("Unknown province “%(value)s”.") % {"value": raw["province"]})
    cleaned["province"] = province

    kind = _KIND_BY_ALIAS.get(_value_key(raw["kind"]))
    if kind is None:
        messages.append(_kind_error(raw["kind"]))
    cleaned["kind"] = kind

    if "district" in raw:
        cleaned["district"] = " ".join(raw["district"].split())
    if "population" in raw:
        population, error = _population(raw["population"])
        if error:
            messages.append(error)
        cleaned["population"] = population
    if "membership_status" in raw:
        status = _MEMBERSHIP_BY_ALIAS.get(_value_key(raw["membership_status"]))
        if status is None:
            messages.append(_membership_error(raw["membership_status"]))
        cleaned["membership_status"] = status
    if "membership_date" in raw:
        membership_date, error = _date(raw["membership_date"])
        if error:
            messages.append(error)
        cleaned["membership_date"] = membership_date
    if "contact_email" in raw:
        email = raw["contact_email"]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                messages.append(_("“%(value)s” is not an e-mail address.") % {"value": email})
        cleaned["contact_email"] = email
    return cleaned, messages


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


def _model_errors(municipality: Municipality) -> list[str]:
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


# Matching --------------------------------------------------------------------------------------------


def _name_key(name: str) -> str:
    return ascii_fold(name)


def _existing_by_key(*, lock: bool) -> dict[tuple[str, str], list[Municipality]]:
    municipalities = Municipality.objects.order_by("pk")
    if lock:
        municipalities = municipalities.select_for_update()
    existing: dict[tuple[str, str], list[Municipality]] = {}
    for municipality in municipalities:
        existing.setdefault((municipality.province, _name_key(municipality.name)), []).append(municipality)
    return existing


def _apply(cleaned: dict, municipality: Municipality | None) -> tuple[Municipality, bool, bool]:
    """The municipality with the row's values set; whether it is new; whether anything changed."""
    if municipality is None:
        return Municipality(**cleaned), True, True
    changed = False
    for name in UPDATABLE_FIELDS:
        if name in cleaned and getattr(municipality, name) != cleaned[name]:
            setattr(municipality, name, cleaned[name])
            changed = True
    return municipality, False, changed


# --- a person's own settings ---------------------------------------------------------------------------
def update_profile(user, *, language=None, time_zone=None):
    """Set the language and/or time zone of the person's pages, e-mails and notifications."""
    errors = {}
    if language is not None and language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the offered languages.")]
    if time_zone is not None and time_zone not in known_time_zones():
        errors["time_zone"] = [_("Choose a time zone from the list, such as Europe/Istanbul.")]
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)
    changes = {
        name: value for name, value in (("language", language), ("time_zone", time_zone)) if value is not None
    }
    profile, _created = UserProfile.objects.update_or_create(user=user, defaults=changes)
    return profile
