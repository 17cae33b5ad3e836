"""Was: fill ``SessionOutcome`` and ``SessionFacet``. Now 0010_fill_day_counts does it
(with the day counts); a database that ran this once is filled again there.

Like 0004, it runs the live service (``services.refresh_next_steps_for_clinic``, which
stores the next-step day and the session outcomes together); neither depends on the day it
runs. So it depends on the latest migration of every app the outcomes queries read. If it
is ever skipped or faked, ``taut refresh-next-steps`` does the same work.
"""

from django.db import migrations


def fill(apps, schema_editor):
    """Moved to 0010 (after 0009's columns): the live service this ran now writes them."""


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0006_session_outcome"),
        ("accounts", "0015_sec16e_throttle_count"),
        ("aftercare", "0003_open_checkins_by_due_day"),
        ("patients", "0005_clinic_ids_index"),
        ("visits", "0013_steroid_site_reason"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
