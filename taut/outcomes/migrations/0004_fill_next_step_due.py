"""Fill ``NextStepDue`` for the patients already in the database.

The stored value is ``schedule.next_step_due_from``: the first day a decision is due, which
does not depend on the day the migration runs, so the worklist reads the same as it did
before (docs/decisions/0017-next-step-due-stored.md).

It runs the live service (``services.refresh_next_steps_for_clinic``): the computation reads
sessions, intakes, check-ins, readings and decisions through ``outcomes.queries``, which a
copy on historical models would have to duplicate. So it depends on the latest migration of
every app those queries read; a later migration that adds a column to one of them must come
after this one or be listed here. If it is ever skipped or faked, ``taut refresh-next-steps``
does the same work.
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
        services.refresh_next_steps_for_clinic(clinic=clinic, now=now, session_outcomes=False)


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0003_next_step_due"),
        ("accounts", "0010_remembers_require_lot_expiry"),
        ("aftercare", "0002_issue11_safety"),
        ("patients", "0004_search_indexes"),
        ("visits", "0007_booking_schedule"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
