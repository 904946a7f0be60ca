"""Matching the rows with the registry and writing them: all or nothing, in one transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grants_office.members import signals
from grants_office.members.imports.cleaning import clean_row, model_errors
from grants_office.members.imports.reading import Row, Source, map_columns, read
from grants_office.members.imports.results import ImportRejected, ImportResult, RowError
from grants_office.members.models import Municipality
from grants_office.members.provinces import ascii_fold

# Fields an import may change on a municipality that is already in the registry (the name and the
# province identify it and stay as the registry spells them).
UPDATABLE_FIELDS = ("district", "kind", "population", "membership_status", "membership_date", "contact_email")


def import_municipalities(source: Source, *, dry_run: bool = False) -> ImportResult:
    """Create or update municipalities from a CSV file, all or nothing.

    `source` is a path, the file's bytes, an open file (binary or text), or already parsed rows: an
    iterable of mappings from column name to value (their line numbers then count from 2, as if the
    first row followed a header line). Raises `ImportRejected` listing every bad row, having written
    nothing; with `dry_run` it validates and counts without writing.
    """
    header, header_line, rows = read(source)
    columns, ignored, errors = map_columns(header, header_line)
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
                signals.municipalities_imported.send(Municipality, municipalities=[m for m, _ in planned])
    except IntegrityError as error:
        # Someone added one of these municipalities while the file was being checked.
        raise ImportRejected(
            [RowError(None, (_("The registry changed during the import; run it again. (%s)") % error,))]
        ) from error
    result.dry_run = dry_run
    result.ignored_columns = ignored
    return result


def _check(
    rows: list[Row], columns: dict[str, str], existing: dict[tuple[str, str], list[Municipality]]
) -> tuple[ImportResult, list[tuple[Municipality, bool]], list[RowError]]:
    """Counts, the municipalities to save (with whether each is new), and every row's errors."""
    result = ImportResult()
    planned: list[tuple[Municipality, bool]] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        cleaned, messages = clean_row(row, columns)
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
        model_messages = model_errors(municipality)
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
