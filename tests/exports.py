"""Reading the files the export endpoints answer, as a spreadsheet would: CSV (UTF-8 with a BOM, `;`)
and XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

BOM = b"\xef\xbb\xbf"


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(data) -> list[list[str]]:
    """The rows of a CSV export (the header first), from the response or its text or bytes."""
    if not isinstance(data, str | bytes):
        data = content(data)
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def csv_dicts(data) -> list[dict[str, str]]:
    header, *rows = csv_rows(data)
    return [dict(zip(header, row, strict=True)) for row in rows]


def xlsx_rows(data) -> list[tuple]:
    """The cells of the first sheet of an XLSX export (the header first), as openpyxl reads them."""
    if not isinstance(data, bytes):
        data = content(data)
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def xlsx_cells(data):
    """The first sheet's cells (openpyxl cells: value and data type), not read-only."""
    return load_workbook(io.BytesIO(data if isinstance(data, bytes) else content(data))).worksheets[0]


def exported_ids(data) -> list[int]:
    """The first column (the id) of a CSV export, in order."""
    return [int(row[0]) for row in csv_rows(data)[1:]]


def rows_in_csv(body) -> int:
    """For `assert_same_query_count`: the data rows of a CSV body."""
    return len(csv_rows(body)) - 1


def rows_in_xlsx(body) -> int:
    return len(xlsx_rows(body)) - 1
