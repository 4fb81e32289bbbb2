"""Database rules that Django cannot declare portably.

- A member is in one cell at a time, and has one status at a time: no two membership (or status)
  periods of a member overlap. PostgreSQL: exclusion constraints over date ranges (btree_gist).
  SQLite: triggers that abort the insert or update.
- Member search: a trigram index on the folded name (PostgreSQL only).
"""

from django.db import migrations

TABLES = {"members_membership": "membership", "members_statusperiod": "status"}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, short in TABLES.items():
            schema_editor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {short}_no_overlap "
                f"EXCLUDE USING gist (member_id WITH =, daterange(valid_from, valid_to, '[)') WITH &&)"
            )
        schema_editor.execute(
            "CREATE INDEX member_name_trgm ON members_member USING gin (name_folded gin_trgm_ops)"
        )
    elif vendor == "sqlite":
        for table, short in TABLES.items():
            for event in ("INSERT", "UPDATE"):
                schema_editor.execute(
                    f"""CREATE TRIGGER {short}_no_overlap_{event.lower()} BEFORE {event} ON {table}
                    FOR EACH ROW WHEN EXISTS (
                        SELECT 1 FROM {table} o WHERE o.member_id = NEW.member_id AND o.id IS NOT NEW.id
                        AND o.valid_from < NEW.valid_to AND NEW.valid_from < o.valid_to)
                    BEGIN SELECT RAISE(ABORT, '{short}_no_overlap'); END"""
                )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_name_trgm")
        for table, short in TABLES.items():
            schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {short}_no_overlap")
    elif vendor == "sqlite":
        for short in TABLES.values():
            for event in ("insert", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {short}_no_overlap_{event}")


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
