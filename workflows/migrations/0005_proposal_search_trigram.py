# Issue 8: the office's proposal search (`?search=`: title or acronym contains, which Django runs as
# UPPER(col) LIKE UPPER('%term%')) scanned all 100,000 proposals to count its matches. Trigram indexes on
# exactly those expressions let PostgreSQL find the matches through the index (terms of three letters
# or more). PostgreSQL only: the embedded SQLite mode has no pg_trgm and does not need it.
from django.db import migrations

INDEXES = {
    "proposal_title_trgm": 'UPPER("title"::text)',
    "proposal_acronym_trgm": 'UPPER("acronym"::text)',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "workflows_proposal" '
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("workflows", "0004_proposal_list_order")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
