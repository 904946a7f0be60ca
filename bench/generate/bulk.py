"""Writing many rows fast: bulk_create in batches, ids reserved from the sequences, COPY on PostgreSQL."""

from __future__ import annotations

from django.db import connection

BATCH = 5_000


def chunks(rows, size=BATCH):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def bulk(model, rows) -> list:
    created = []
    for part in chunks(rows):
        created.extend(model.objects.bulk_create(part, batch_size=BATCH))
    return created


def reserve_ids(model, n: int) -> int:
    """Take n ids from the table's sequence and return the first: rows written with COPY can then name
    their own ids (and other rows can point at them) without asking the database back."""
    table = model._meta.db_table
    if n <= 0:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, n])
            return cursor.fetchone()[0] - n + 1
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # SQLite: one writer, us
        return cursor.fetchone()[0] + 1


def copy_rows(model, fields, rows) -> int:
    """Stream rows (tuples in the order of `fields`, model field names) into the model's table: COPY on
    PostgreSQL, several times faster than bulk_create and without a model instance per row; batched
    INSERTs elsewhere. Rows may be a generator, so a million never sit in memory at once."""
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def skip_foreign_key_checks() -> None:
    """The rows are consistent by construction: skip PostgreSQL's foreign-key triggers for this transaction
    (Django's constraints are deferred, so otherwise several million checks queue up and run at COMMIT,
    which took longer than writing the rows). Needs a superuser, as the bench database's owner usually is;
    anyone else simply gets the checks. Unique and check constraints are enforced either way."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
