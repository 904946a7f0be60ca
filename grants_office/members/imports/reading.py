"""Reading a municipality file: its bytes or text (in the encodings Excel writes) or parsed rows, the
delimiter, the header line and which of the registry's fields each column gives."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grants_office.members.imports.results import ImportRejected, RowError
from grants_office.members.provinces import ascii_fold

# The column names a file may use, after folding (see `column_key`): English first, then Turkish.
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
DELIMITERS = (";", ",", "\t")

_COLUMN_BY_ALIAS = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}


@dataclass
class Row:
    line: int
    values: dict[str, str]
    extra_values: int = 0


Source = str | os.PathLike | bytes | io.IOBase | Iterable[Mapping[str, object]]


def read(source: Source) -> tuple[list[str], int, list[Row]]:
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
    rows: list[Row] = []
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
            rows.append(Row(line, values, extra_values=len(extra)))
    except csv.Error as error:
        raise ImportRejected(
            [RowError(reader.line_num, (_("The CSV cannot be read here: %(error)s") % {"error": error},))]
        ) from error
    return header or [], header_line, rows


def _read_mappings(source: Iterable[Mapping[str, object]]) -> tuple[list[str], int, list[Row]]:
    header: list[str] = []
    rows = []
    for index, mapping in enumerate(source):
        for key in mapping:
            if key not in header:
                header.append(key)
        values = {key: "" if value is None else str(value) for key, value in mapping.items()}
        rows.append(Row(index + 2, values))
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


def column_key(name: str) -> str:
    """'Üyelik Durumu' -> 'uyelik_durumu', 'E-posta' -> 'e_posta', 'İlçe' -> 'ilce'."""
    return re.sub(r"[\s\-.]+", "_", ascii_fold(name.replace("\ufeff", ""))).strip("_")


def map_columns(header: list[str], line: int) -> tuple[dict[str, str], list[str], list[RowError]]:
    """Field name -> the file's column name; the columns it does not know; header errors."""
    columns: dict[str, str] = {}
    ignored: list[str] = []
    messages: list[str] = []
    for name in header:
        column = _COLUMN_BY_ALIAS.get(column_key(name))
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
