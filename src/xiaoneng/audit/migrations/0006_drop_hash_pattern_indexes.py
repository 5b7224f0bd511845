"""Drop the pattern-matching (``varchar_pattern_ops``) indexes Django adds on PostgreSQL beside
the unique constraints of ``prev_hash`` and ``entry_hash`` (issue #25 item 5).

They serve ``LIKE 'prefix%'`` on a hash, which nothing does, and each cost an insert into a
B-tree of random keys for every row of the chain: about a fifth of the time of the sweeper's
``COPY`` into this table. The unique constraints stay: ``prev_hash`` unique is what keeps the
chain from forking, and the equality look-ups (checkpoints) use them. ``action``'s pattern index
stays too: the audit page filters by action family (``action LIKE 'case.%'``).

Dropped ``CONCURRENTLY`` (nothing waits for the audit table); a database without them (SQLite,
or one where they are gone already) is left as it is.
"""

from django.db import migrations

TABLE = "audit_auditentry"
COLUMNS = ("prev_hash", "entry_hash")


def _pattern_indexes(connection):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    return [
        name
        for name, info in found.items()
        if info["index"]
        and not info["unique"]
        and not info["primary_key"]
        and len(info["columns"]) == 1
        and info["columns"][0] in COLUMNS
    ]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for name in _pattern_indexes(connection):
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        name = schema_editor._create_index_name(TABLE, [column], suffix="_like")
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {schema_editor.quote_name(name)} "
            f"ON {TABLE} ({column} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    atomic = False  # DROP INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("audit", "0005_audit_queue")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
