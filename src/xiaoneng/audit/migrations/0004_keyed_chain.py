"""Keyed chaining: rows record their hash scheme and key id. Existing rows are marked as plain
SHA-256 (scheme 1) and keep their hashes; nothing written before is changed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_trigger")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "SHA-256 (before keyed chaining)"), (2, "HMAC-SHA256")],
                default=1,
                verbose_name="hash scheme",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="key id"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
    ]
