"""Tables people download: what a list shows, as CSV for Excel or as XLSX, every row, streamed.

One shape for every export (proposals, calls, the member registry, a round's scores, the results): a
list of `Column`s and the rows, usually a queryset's `iterator()`. Headers are in the reader's language
(the active one), amounts are numbers, moments are shown in the zone the caller names.

CSV is UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the ANSI code page and "Çanakkale"
breaks) and `;` between fields, which Excel expects wherever the decimal separator is a comma, as in
Turkish; in Turkish the decimal separator is a comma too, in English a point. XLSX comes from
openpyxl's write-only workbook, which keeps one row in memory at a time, into a temporary file that is
then streamed: a workbook is a zip whose directory comes last, so it cannot be sent before it is done.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from rest_framework.negotiation import DefaultContentNegotiation

from grants_office.core.errors import Invalid

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CSV_DELIMITER = ";"
BOM = "\ufeff"
# A cell that starts with one of these is a formula to Excel and LibreOffice: titles and names come
# from people, so such text is written with a leading apostrophe (OWASP's advice on CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column: its header (translated when the file is written) and how a row gives its value."""

    header: str
    value: Callable[[object], object]


def export_format(query_params) -> str:
    """The `format` asked for: `csv` or `xlsx` (400 otherwise)."""
    value = (query_params.get("format") or "").lower()
    if value not in FORMATS:
        message = str(_("Choose csv or xlsx."))
        raise Invalid(message, fields={"format": [message]})
    return value


class ExportNegotiation(DefaultContentNegotiation):
    """`?format=csv|xlsx` names the file an export writes, not an API renderer (DRF reads `format` as
    one): answers that are not the file, such as errors, are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type


def plain(value, zone: tzinfo | None = None):
    """A cell's value: numbers stay numbers, moments are wall-clock time in `zone` (a spreadsheet knows
    no zones, so the header names it), text that a spreadsheet would run as a formula is defused."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(zone or timezone.get_current_timezone())
        return value.replace(tzinfo=None, second=0, microsecond=0)
    if isinstance(value, date):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_text(value, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, Decimal | float):
        text = format(value, "f")
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Echo:
    """csv.writer writes into this, and each row comes back as text to stream."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable, columns: Sequence[Column], zone: tzinfo | None = None) -> Iterator[str]:
    decimal_comma = translation.get_language() == "tr"
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    yield BOM + writer.writerow([str(column.header) for column in columns])
    for row in rows:
        yield writer.writerow(
            [_csv_text(plain(column.value(row), zone), decimal_comma) for column in columns]
        )


def write_xlsx(
    rows: Iterable, columns: Sequence[Column], target, *, title: str, zone: tzinfo | None = None
) -> None:
    write_workbook([Sheet(title, columns, rows)], target, zone=zone)


def export_response(
    rows: Iterable,
    columns: Sequence[Column],
    *,
    fmt: str,
    filename: str,
    zone: tzinfo | None = None,
):
    """The file to download: `filename` without its extension, which `fmt` adds."""
    name = f"{filename}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(rows, columns, zone), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    target = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it when sent
    write_xlsx(rows, columns, target, title=filename, zone=zone)
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=name, content_type=CONTENT_TYPES["xlsx"])


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title (at most 31 characters in Excel), columns and rows."""

    title: str
    columns: Sequence[Column]
    rows: Iterable


def write_workbook(sheets: Iterable[Sheet], target, *, zone: tzinfo | None = None) -> None:
    """Tables in one XLSX file, a sheet each: a bold header, then plain values (openpyxl gives moments
    and days their date formats itself; a cell object per value would cost a third more time)."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for number, sheet_spec in enumerate(sheets, start=1):
        title = str(sheet_spec.title)
        for char in "[]:*?/\\":  # not allowed in a sheet's title
            title = title.replace(char, " ")
        sheet = workbook.create_sheet(title=title[:31].strip() or f"Sheet {number}")
        header = []
        for column in sheet_spec.columns:
            cell = WriteOnlyCell(sheet, value=str(column.header))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in sheet_spec.rows:
            sheet.append([plain(column.value(row), zone) for column in sheet_spec.columns])
    workbook.save(target)


def workbook_response(sheets: Iterable[Sheet], *, filename: str, zone: tzinfo | None = None):
    """A workbook of several sheets to download: `filename` without its extension."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it when sent
    write_workbook(sheets, target, zone=zone)
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename=f"{filename}.xlsx", content_type=CONTENT_TYPES["xlsx"]
    )
