# Issue 18: the proposal list ordered by the lead's name walks the municipalities in Turkish order
# through this index and each one's proposals through theirs (an incremental sort by id), instead of
# sorting 100,000 joined rows. PostgreSQL with ICU only, like the collation the ordering uses.
from django.db import migrations

NAME = "municipality_turkish_name"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'tr-x-icu'")
        if cursor.fetchone() is None:
            return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "members_municipality" ((name COLLATE "tr-x-icu"), id)'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("members", "0005_municipality_has_project_team")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
