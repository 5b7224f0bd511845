"""Issued document numbers are keyed by the owner's model label; the one-time notices moved from
the cases app, so their issued numbers follow them (a notice keeps the number it was given)."""

from django.db import migrations

OLD, NEW = "cases.onetimenotice", "applications.onetimenotice"


def forwards(apps, schema_editor):
    issued = apps.get_model("documents", "IssuedDocument")
    issued.objects.filter(owner_type=OLD).update(owner_type=NEW)


def backwards(apps, schema_editor):
    issued = apps.get_model("documents", "IssuedDocument")
    issued.objects.filter(owner_type=NEW).update(owner_type=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        ("documents", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
