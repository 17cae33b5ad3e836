from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0009_visits_by_patient_latest_first"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(fields=["clinician", "scheduled_for"], name="visit_clinician_day"),
        ),
    ]
