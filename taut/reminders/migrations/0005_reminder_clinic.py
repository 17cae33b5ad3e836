"""A reminder carries its patient's clinic (decision 0040): added empty, filled from the
patient, then required, with the index the analytics' reminder counts read."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Reminder = apps.get_model("reminders", "Reminder")
    Patient = apps.get_model("patients", "Patient")
    clinic = Patient.objects.filter(pk=OuterRef("patient_id")).values("clinic_id")[:1]
    Reminder.objects.update(clinic_id=Subquery(clinic))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0016_clinic_public_figures"),
        ("patients", "0005_clinic_ids_index"),
        ("reminders", "0004_failed_and_skipped_by_update"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="clinic",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.clinic",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reminder",
            name="clinic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.clinic",
            ),
        ),
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(
                fields=["clinic", "send_after", "status"], name="reminder_clinic_period"
            ),
        ),
    ]
