from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("org", "0005_english_names")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="English name"),
        ),
    ]
