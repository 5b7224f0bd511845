"""The next check of a running clock in a narrow table of its own (issue #25 item 5).

The sweeper locks and reschedules thousands of clocks a minute. With the next check on the
clock, each reschedule wrote a new version of the wide clock row and an entry in each of its
seven indexes (the due-check index among them, so no update could be HOT). ``ClockCheck`` holds
one row of three columns per running clock with a check ahead, indexed by (next check, clock):
the sweeps lock and update those rows and only read the clocks.

The rows are copied from the running clocks' ``next_check_at`` before the column goes (with
it, its partial index ``workdays_clock_due_check``).
"""

import django.db.models.deletion
from django.db import migrations, models

COPY = (
    "INSERT INTO workdays_clockcheck (clock_id, owner_type, next_check_at) "
    "SELECT id, owner_type, next_check_at FROM workdays_clock "
    "WHERE state = 'running' AND next_check_at IS NOT NULL"
)
COPY_BACK = (
    "UPDATE workdays_clock SET next_check_at = (SELECT c.next_check_at FROM workdays_clockcheck "
    "AS c WHERE c.clock_id = workdays_clock.id)"
)


class Migration(migrations.Migration):
    dependencies = [("workdays", "0004_clock_due_check")]

    operations = [
        migrations.CreateModel(
            name="ClockCheck",
            fields=[
                (
                    "clock",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="next_check",
                        serialize=False,
                        to="workdays.clock",
                        verbose_name="clock",
                    ),
                ),
                ("owner_type", models.CharField(max_length=64, verbose_name="owner type")),
                ("next_check_at", models.DateTimeField(verbose_name="next check at")),
            ],
            options={
                "verbose_name": "next check of a clock",
                "verbose_name_plural": "next checks of clocks",
                "indexes": [
                    models.Index(
                        fields=["next_check_at", "clock"], name="workdays_clockcheck_due"
                    )
                ],
            },
        ),
        migrations.RunSQL(COPY, COPY_BACK, elidable=False),
        migrations.RemoveIndex(model_name="clock", name="workdays_clock_due_check"),
        migrations.RemoveField(model_name="clock", name="next_check_at"),
    ]
