"""No index on an outbox row's ``kind`` (issue #25 item 5).

No query filters or orders by it (the admin's text search is a ``LIKE '%…%'``, which a B-tree
cannot serve), yet every message paid two index inserts for it (the plain index and, on
PostgreSQL, its pattern-matching twin): the sweeper writes three to seven messages per card.
On PostgreSQL the indexes are dropped ``CONCURRENTLY``; elsewhere by name.
"""

from django.db import migrations, models

TABLE = "notify_notification"


def _kind_indexes(connection):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    return [
        name
        for name, info in found.items()
        if info["index"]
        and not info["unique"]
        and not info["primary_key"]
        and info["columns"] == ["kind"]
    ]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    concurrently = "CONCURRENTLY " if connection.vendor == "postgresql" else ""
    for name in _kind_indexes(connection):
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {schema_editor.quote_name(name)}")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    name = schema_editor._create_index_name(TABLE, ["kind"], suffix="")
    concurrently = "CONCURRENTLY " if connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS {schema_editor.quote_name(name)} ON {TABLE} (kind)"
    )
    if connection.vendor == "postgresql":
        like = schema_editor._create_index_name(TABLE, ["kind"], suffix="_like")
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {schema_editor.quote_name(like)} "
            f"ON {TABLE} (kind varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    atomic = False  # DROP INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("notify", "0004_sms_receipts_channel_preferences")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="kind",
                    field=models.CharField(max_length=64, verbose_name="kind"),
                )
            ],
            database_operations=[migrations.RunPython(forwards, backwards, elidable=False)],
        )
    ]
