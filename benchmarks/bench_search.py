"""How fast is patient search in a clinic of 50,000, and is each query answered from indexes?

Migrates a temporary SQLite database (or the empty database ``BENCH_DATABASE_URL`` names),
bulk-inserts ``PATIENTS`` (default 50,000) synthetic patients into one clinic with the search
columns the services set, runs ANALYZE, then prints for each kind of search, median and 95th
percentile over 20 runs: the query as the patient list runs it (the first page of 25 and the
count) and the whole page (``POST /patients/`` as the front desk), with its queries, and
whether the plan reads the patients table whole. Exits 1 if a page's p95 is over 100 ms or a
plan reads the table whole (issue 13's aim; docs/decisions/0018-search-from-indexes.md).

The names come from a small vocabulary, so the broad searches match 6-9 % of the clinic:
more than real names would.

Not a test: run it by hand, ``.venv/bin/python benchmarks/bench_search.py``.
"""

import os
import random
import secrets
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from timing import timed  # benchmarks/timing.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
PATIENTS = int(os.environ.get("PATIENTS", "50000"))
AIM_MS = 100
FAMILIES = ["Pebble", "Thistle", "Öztürk", "García", "Ødegaard", "Nguyễn", "Willow", "Lark",
            "Maple", "Bramble", "Juniper", "Amber"]  # fmt: skip
ENDINGS = ["brook", "wick", "dale", "stone", "ridge", "field", "worth", "combe", "bury", "thorpe"]
GIVEN = ["Ada", "José", "Zoë", "Björn", "Thảo", "Ángela", "Анжела", "Wei", "Mary", "John",
         "Luis", "Sofía", "Chen", "Fatima", "Olga", "Noël"]  # fmt: skip
SEARCHES = ["garc", "ÖZTÜRK", "ang", "jose garcia", "M000123", "1970-05-17", "zzz"]


def fill(clinic) -> None:
    from taut.patients.models import Patient
    from taut.patients.services import name_search_fields

    rng = random.Random(13)
    rows = []
    for n in range(PATIENTS):
        given = rng.choice(GIVEN) + ("" if rng.random() < 0.5 else rng.choice(["a", "ne", "ito"]))
        family = rng.choice(FAMILIES) + rng.choice(ENDINGS)
        rows.append(
            Patient(
                clinic=clinic, mrn=f"M{n:06d}", given_name=given, family_name=family,
                date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(25000)),
                sex="female", **name_search_fields(given_name=given, family_name=family),
            )
        )  # fmt: skip
    Patient.objects.bulk_create(rows, batch_size=5000)


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="taut-bench-"))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taut.settings")
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from taut.accounts import services as accounts
    from taut.accounts.actors import Actor
    from taut.accounts.roles import Role
    from taut.patients import queries
    from taut.patients.models import Patient
    from taut.tests.plans import analyze, plan, reads_whole

    call_command("migrate", verbosity=0)
    setup_test_environment()
    settings.DEBUG = True  # count queries
    clinic = accounts.create_clinic(name="Search bench", slug=f"bench-{os.getpid()}")
    desk = accounts.add_staff(
        clinic=clinic, username=f"bench-desk-{os.getpid()}", first_name="Dana", last_name="Desk",
        email="desk@example.org", role=Role.FRONT_DESK, password=secrets.token_urlsafe(24),
        actor=Actor.system("bench_search", now=timezone.now(), clinic=clinic),
    )  # fmt: skip
    start = time.perf_counter()
    fill(clinic)
    analyze(Patient)
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"{PATIENTS} patients inserted in {time.perf_counter() - start:.1f} s")
    client = Client()
    client.force_login(desk)
    url = reverse("patients:list")
    patients = Patient.objects.filter(clinic_id=clinic.pk)
    print(f"{'search':<14}{'results':>8}{'query p50':>11}{'p95':>7}{'page p50':>10}{'p95':>7}"
          f"{'queries':>9}  whole table?")  # fmt: skip
    missed = False
    for text in SEARCHES:

        def query(text=text):
            page = Paginator(queries.search(patients, text), 25).get_page(1)
            list(page)
            return page.paginator.count

        def post(text=text):
            response = client.post(url, {"q": text})
            assert response.status_code == 200

        found = query()
        q50, q95, _ = timed(query)
        p50, p95, count = timed(post)
        whole = reads_whole(plan(queries.search(patients, text)), Patient._meta.db_table)
        missed |= whole or p95 > AIM_MS
        print(f"{text:<14}{found:>8}{q50:>11.1f}{q95:>7.1f}{p50:>10.1f}{p95:>7.1f}{count:>9}"
              f"  {'YES' if whole else 'no'}")  # fmt: skip
    print(f"aim: page p95 <= {AIM_MS} ms, no search reads the whole table: "
          f"{'MISSED' if missed else 'met'}")  # fmt: skip
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
