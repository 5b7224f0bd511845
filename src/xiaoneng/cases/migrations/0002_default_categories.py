"""Seed the default education categories; existing rows (and later edits) are left alone."""

from django.db import migrations

from xiaoneng.cases.categories import DEFAULT_CATEGORIES


def seed(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for order, (code, name, *_english) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
