"""Seed the time-limit policy presets of DESIGN.md §5 (idempotent; edits are never overwritten)."""

from django.db import migrations


def seed(apps, schema_editor):
    from xiaoneng.catalog.presets import PRESETS, preset_stage_rows, preset_version_fields

    policy_model = apps.get_model("catalog", "TimeLimitPolicy")
    version_model = apps.get_model("catalog", "PolicyVersion")
    limit_model = apps.get_model("catalog", "PolicyStageLimit")
    for preset in PRESETS:
        if policy_model.objects.filter(code=preset["code"]).exists():
            continue
        policy = policy_model.objects.create(code=preset["code"], name=preset["name"])
        version = version_model.objects.create(
            policy=policy, number=1, **preset_version_fields(preset)
        )
        limit_model.objects.bulk_create(
            limit_model(version=version, **row) for row in preset_stage_rows(preset)
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
