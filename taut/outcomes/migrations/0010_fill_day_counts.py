"""Fill ``SessionOutcome`` and ``SessionFacet`` (with their chains, 0009) and count them by
day (``DayCount``, ``ReliefCount``) for the sessions already in the database.

Like 0004, it runs the live service (``services.refresh_next_steps_for_clinic``, which
stores the next-step day and the session outcomes together and then counts the clinic);
neither depends on the day it runs. So it depends on the latest migration of every app the
outcomes queries read. If it is ever skipped or faked, ``taut refresh-next-steps`` does the
same work.
"""

from django.db import migrations
from django.utils import timezone


def fill(apps, schema_editor):
    from taut.accounts.models import Clinic
    from taut.outcomes import services

    Historical = apps.get_model("accounts", "Clinic")
    if not Historical.objects.exists():
        return  # a new database: nothing to fill
    now = timezone.now()
    for clinic in Clinic.objects.order_by("pk"):
        services.refresh_next_steps_for_clinic(clinic=clinic, now=now)


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0009_day_counts"),
        ("accounts", "0016_clinic_public_figures"),
        ("aftercare", "0003_open_checkins_by_due_day"),
        ("patients", "0005_clinic_ids_index"),
        ("visits", "0013_steroid_site_reason"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
