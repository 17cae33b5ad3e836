"""How fast is the worklist's "Next step due" section, and does it stay so as the clinic grows?

Seeds the demo clinic (240 patients) into a temporary SQLite database (or the empty
database ``BENCH_DATABASE_URL`` names), then adds ``PAD`` (default 50,000) patients with
stored due days (``NextStepDue``) that sort after the demo's, so the page shown is still the
demo's real patients with their full advice while the index holds a clinic of that size.
Prints, median and 95th percentile over 20 runs, with the queries of each:

- the section as served (``GET /outcomes/worklist/``, htmx);
- ``due_for_clinic`` over every due demo patient (what each request computed before the
  stored day, for the demo's 240 patients);
- ``refresh_next_steps_for_clinic`` for the demo clinic (the fill and ``taut
  refresh-next-steps``), once.

Not a test: run it by hand, ``.venv/bin/python benchmarks/bench_next_step_due.py``.
"""

import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from timing import timed  # benchmarks/timing.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
PAD = int(os.environ.get("PAD", "50000"))


def pad(clinic, today: date, count: int) -> None:
    from django.utils import timezone

    from taut.clinical import schedule
    from taut.outcomes.models import NextStepDue
    from taut.patients.models import Patient

    now = timezone.now()
    for start in range(0, count, 5000):
        size = min(5000, count - start)
        patients = Patient.objects.bulk_create(
            Patient(
                clinic=clinic,
                mrn=f"PAD{start + n:07d}",
                given_name=f"P{start + n}",
                family_name="Zzpadding",
                date_of_birth=date(1970, 1, 1),
                sex="female",
            )
            for n in range(size)
        )
        NextStepDue.objects.bulk_create(
            NextStepDue(
                patient=p,
                clinic=clinic,
                # a third due today (sorted after the demo's by name), the rest later or never
                due_from=(today if n % 3 == 0 else today + timedelta(days=n % 90 + 1))
                if n % 7
                else None,
                rule_version=schedule.DUE_FROM_VERSION,
                computed_at=now,
            )
            for n, p in enumerate(patients)
        )


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="taut-bench-"))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    os.environ["STATIC_ROOT"] = str(workdir / "static")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taut.settings")
    taut = Path(sys.executable).parent / "taut"
    command = [str(taut), "demo", "--no-serve", "--i-know-this-is-not-production"]
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from taut.accounts.models import User
    from taut.outcomes import queries, services

    setup_test_environment()
    settings.DEBUG = True  # count queries
    clinician = User.objects.get(username="clinician")
    clinic = clinician.clinic
    today = clinic.today()
    client = Client()
    client.force_login(clinician)
    url = reverse("outcomes:worklist_section")

    def page():
        response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code == 200

    every = timed(lambda: queries.due_for_clinic(clinic, today=today), runs=5)
    start = time.perf_counter()
    services.refresh_next_steps_for_clinic(clinic=clinic, now=timezone.now())
    refresh = (time.perf_counter() - start) * 1000
    small = timed(page)
    pad(clinic, today, PAD)
    due = queries.due_page_for_clinic(clinic, today=today, number=1, per_page=15)
    large = timed(page)
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"due on {today}: {due.paginator.count} of {240 + PAD} patients")
    print("                                          p50 ms   p95 ms   queries")
    print(f"section, demo clinic (240)              {small[0]:8.1f} {small[1]:8.1f} {small[2]:8}")
    print(f"section, demo + {PAD} stored days     {large[0]:8.1f} {large[1]:8.1f} {large[2]:8}")
    print(f"due_for_clinic, every demo patient      {every[0]:8.1f} {every[1]:8.1f} {every[2]:8}")
    print(f"refresh_next_steps_for_clinic (240)     {refresh:8.1f}")


if __name__ == "__main__":
    main()
