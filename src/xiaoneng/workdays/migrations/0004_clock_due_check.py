"""The sweeps' due-clock index (issue #25 item 5): ``(next_check_at, id)`` over the running
clocks that have a next check, instead of ``next_check_at`` over every clock.

Every sweep (cases, supervision, targets, internal matters) asks for running clocks whose next
check has come, oldest first, ``ORDER BY next_check_at, id LIMIT n``. With the old index the
plan read every due clock, filtered the running ones and sorted them all under the LIMIT, in
every batch; this one hands them over in the order asked, so a batch reads its LIMIT rows (plus
any a parallel sweeper holds). Stopped clocks (most of a big installation's clocks) are not in
it at all.

On PostgreSQL both steps run ``CONCURRENTLY`` (writes go on while the index is built on a big
table), the new index first, so the sweeps always have one; elsewhere Django's own operations.
"""

from django.db import migrations, models
from django.db.models import Q

INDEX = models.Index(
    fields=["next_check_at", "id"],
    name="workdays_clock_due_check",
    condition=Q(state="running", next_check_at__isnull=False),
)
OLD = models.Index(fields=["next_check_at"], name="workdays_clock_next_check")

CREATE = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS workdays_clock_due_check ON workdays_clock "
    "(next_check_at, id) WHERE (state = 'running' AND next_check_at IS NOT NULL)"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS workdays_clock_next_check")
        return
    clock = apps.get_model("workdays", "Clock")
    schema_editor.add_index(clock, INDEX)
    schema_editor.remove_index(clock, OLD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS workdays_clock_next_check "
            "ON workdays_clock (next_check_at)"
        )
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS workdays_clock_due_check")
        return
    clock = apps.get_model("workdays", "Clock")
    schema_editor.add_index(clock, OLD)
    schema_editor.remove_index(clock, INDEX)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("workdays", "0003_clock_stage_intake")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="clock", index=INDEX),
                migrations.RemoveIndex(model_name="clock", name="workdays_clock_next_check"),
            ],
            database_operations=[migrations.RunPython(forwards, backwards, elidable=False)],
        )
    ]
