"""English names of the time-limit policies (read on English pages), filled for the seeded
policies (the presets and the internal matters' policies) where no English name is set yet."""

from django.db import migrations, models

# The seeded policies' English names by code, as of this migration (catalog/presets.py and
# internal/policies.py carry them for policies seeded later).
ENGLISH = {
    "hotline-consult": "12345 hotline referral (inquiry/help)",
    "hotline-complaint": "12345 hotline referral (complaint/suggestion/report)",
    "bureau-consult": "Received by the bureau (inquiry/help)",
    "bureau-complaint": "Received by the bureau (complaint/suggestion/report)",
    "urgent": "Urgent/emergency matter",
    "efficiency-referral": "Efficiency office referral/efficiency complaint",
    "petition": "Petition (letters and visits)",
    "deputy-proposal": "Deputies' suggestions/CPPCC proposals",
    "info-disclosure": "Government information disclosure request",
    "admin-licence": "Administrative licence (per service item)",
    "internal-instruction": "Leader's instruction",
    "internal-request": "Reply to a request for instructions",
    "internal-meeting": "Meeting decision",
}


def forwards(apps, schema_editor):
    policy_model = apps.get_model("catalog", "TimeLimitPolicy")
    for code, name in ENGLISH.items():
        policy_model.objects.filter(code=code, name_en="").update(name_en=name)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_intake_stage_and_bureau_presets")]

    operations = [
        migrations.AddField(
            model_name="timelimitpolicy",
            name="name_en",
            field=models.CharField(blank=True, max_length=120, verbose_name="English name"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
