"""Give every preset policy the intake-pool acceptance limit and add the bureau's own presets.

A preset that exists without an ``intake`` stage gets a new version (a copy of its latest with
the intake limit added), so cases already running keep the version they started with. Missing
presets (the bureau's own general requests) are created as in 0002.
"""

from django.db import migrations

NOTE = "新增待受理期限（受理池）：1个工作日内受理。"


def forwards(apps, schema_editor):
    from xiaoneng.catalog.presets import PRESETS, preset_stage_rows, preset_version_fields

    policy_model = apps.get_model("catalog", "TimeLimitPolicy")
    version_model = apps.get_model("catalog", "PolicyVersion")
    limit_model = apps.get_model("catalog", "PolicyStageLimit")
    copied = [
        "count_start",
        "closing_time",
        "prewarn_workdays",
        "prewarn_fractions",
        "yellow_grace_workdays",
        "extension_allowed",
        "extension_max",
        "after_supplement",
        "source",
    ]
    for preset in PRESETS:
        policy = policy_model.objects.filter(code=preset["code"]).first()
        if policy is None:
            policy = policy_model.objects.create(code=preset["code"], name=preset["name"])
            version = version_model.objects.create(
                policy=policy, number=1, **preset_version_fields(preset)
            )
            limit_model.objects.bulk_create(
                limit_model(version=version, **row) for row in preset_stage_rows(preset)
            )
            continue
        latest = version_model.objects.filter(policy=policy).order_by("-number").first()
        if latest is None or limit_model.objects.filter(version=latest, stage="intake").exists():
            continue
        intake = next(row for row in preset_stage_rows(preset) if row["stage"] == "intake")
        version = version_model.objects.create(
            policy=policy,
            number=latest.number + 1,
            note=f"{latest.note}\n{NOTE}".strip(),
            **{name: getattr(latest, name) for name in copied},
        )
        rows = [
            limit_model(
                version=version,
                stage=limit.stage,
                amount=limit.amount,
                counting=limit.counting,
                count_start=limit.count_start,
                note=limit.note,
            )
            for limit in limit_model.objects.filter(version=latest)
        ]
        rows.append(limit_model(version=version, **intake))
        limit_model.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_service_guides")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
