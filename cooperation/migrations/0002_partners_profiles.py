"""Every municipality and organisation gets its partner profile (search must find every party), and on
PostgreSQL partner search's full-text vector: the document in Turkish and in English, stored in a
generated column `search_vector` with a GIN index (cooperation/selectors/partners.py reads it).

Stored, not an expression index: at national scale a common word matches thousands of profiles, and
the planner then reads the table and computes the expression for each row (0.3 ms a row: 2 s for
"cities"), and ranking computes it again for every match. Not a model field: SQLite has no such
column and needs none.
"""

from django.db import migrations

from cooperation.search_documents import ensure_profiles

INDEX = "cooperation_partnerprofile_search"
ADD_VECTOR = (
    "ALTER TABLE cooperation_partnerprofile ADD COLUMN IF NOT EXISTS search_vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('turkish'::regconfig, search_document)"
    " || to_tsvector('english'::regconfig, search_document)) STORED"
)
CREATE_INDEX = f"CREATE INDEX IF NOT EXISTS {INDEX} ON cooperation_partnerprofile USING gin (search_vector)"


def give_profiles(apps, schema_editor):
    ensure_profiles(apps=apps)


def create_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_VECTOR)
        schema_editor.execute(CREATE_INDEX)


def drop_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute("ALTER TABLE cooperation_partnerprofile DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0001_initial")]

    # the column first: PostgreSQL refuses to ALTER a table with pending trigger events, which the
    # profiles' inserts (deferred foreign keys) leave in the migration's transaction
    operations = [
        migrations.RunPython(create_vector, drop_vector),
        migrations.RunPython(give_profiles, migrations.RunPython.noop),
    ]
