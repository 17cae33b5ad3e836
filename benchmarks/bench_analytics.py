"""Is the clinic analytics page fast at real size? The benchmark issue 17 asks for.

Seeds ``--sessions`` signed sessions (default 1,000,000 on PostgreSQL, 100,000 on SQLite) of
synthetic patients into a new database, as the page reads them: stored outcomes
(``SessionOutcome``) with their facets (``SessionFacet``, ~10 a session), the minimal
visits they belong to, two check-ins a session, a reminder a session and alerts for 1 % of
them, over three years that end today. Most sessions belong to one clinic, whose lead opens
the page; a second, small clinic keeps the clinic filter honest. Rows go in by ``COPY``
(PostgreSQL) or ``executemany`` (SQLite) with explicit keys, then ``ANALYZE``.

Then, through Django's full stack (``Client`` GET of ``/clinic/analytics/`` as the lead),
the median of ``--runs`` requests after one warm-up, with the time of each figure's query
function and the queries per request, for: the default page (the last 12 months), a muscle
filter, and durability curves by agent. Prints the seed time and the database's size.

Not a test: run it by hand, e.g.

    .venv/bin/python benchmarks/bench_analytics.py                 # SQLite, 100,000 sessions
    .venv/bin/python benchmarks/bench_analytics.py --postgres      # PostgreSQL, 1,000,000
    .venv/bin/python benchmarks/bench_analytics.py --postgres --keep   # keep the database
    .venv/bin/python benchmarks/bench_analytics.py --postgres --reuse  # time a kept one

PostgreSQL: a database ``taut_bench_analytics`` is created on ``--server`` (default
``postgres://postgres@127.0.0.1:5432``) and dropped at the end unless ``--keep``.
SQLite: a temporary file, deleted at the end unless ``--keep`` (then its path is printed).
"""

import argparse
import functools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "taut_bench_analytics"
SQLITE_KEPT = ROOT / "var" / "bench_analytics.sqlite3"
YEARS = 3
BATCH = 20000
MUSCLES = 30  # the clinic's muscles, a skewed (Zipf-like) few most often
AGENTS = ("lidocaine 1%", "lidocaine 0.5%", "bupivacaine 0.25%", "procaine 1%", "saline")
AGENT_WEIGHTS = (45, 20, 15, 10, 10)
INDICATIONS = (
    ("myofascial_pain", 60),
    ("neck_muscle_pain", 15),
    ("low_back_muscle_pain", 12),
    ("tension_type_headache", 8),
    ("fibromyalgia", 5),
)
COMPLICATIONS = ("vasovagal", "haematoma", "bleeding", "other", "pneumothorax", "last")
COMPLICATION_WEIGHTS = (45, 30, 15, 8, 1, 1)
ALERT_CODES = ("infection", "breathing", "chest_pain", "last_symptoms", "blood_sugar")
SESSIONS_PER_PATIENT = tuple(range(1, 13))  # weights: mean ≈ 6.5 sessions over 3 years
SESSIONS_WEIGHTS = (14, 9, 8, 8, 8, 8, 8, 8, 8, 7, 7, 7)


# ---------------------------------------------------------------------------------------
# The database


def create_postgres(server: str, *, reuse: bool) -> str:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if exists and not reuse:
            conn.execute(f"DROP DATABASE {DB_NAME}")
        if not (exists and reuse):
            conn.execute(f"CREATE DATABASE {DB_NAME}")
    return f"{server}/{DB_NAME}"


def drop_postgres(server: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    pool = getattr(connections["default"], "pool", None)
    if pool is not None:
        pool.close()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def setup_django(database_url: str, static_root: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["STATIC_ROOT"] = str(static_root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taut.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def database_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
            )
        return cursor.fetchone()[0]


class Table:
    """Writes rows of ``model`` fast: ``columns`` vary per row (given in that order), every
    other column takes its field's constant default (or NULL, or ``now`` for auto_now)."""

    def __init__(self, model, columns: list[str], *, now: datetime):
        from django.db import connection

        self.model, self.connection = model, connection
        self.postgres = connection.vendor == "postgresql"
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.columns = [fields[c].column for c in columns]
        self.tail: list[object] = []
        for name, field in fields.items():
            if name in columns or (field.primary_key and name == "id" and "id" not in columns):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: object = now
            elif field.has_default() and (
                not callable(field.default) or field.default in (dict, list)
            ):
                value = field.get_default()
            elif field.null:
                value = None
            elif field.empty_strings_allowed and not field.has_default():
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{name} needs a value")
            self.columns.append(field.column)
            self.tail.append(self.prep(field, value))
        self.tail_tuple = tuple(self.tail)
        self.rows: list[tuple] = []
        self.count = 0

    def prep(self, field, value):
        """A constant's database form (the varying values are given in it)."""
        import json

        if isinstance(value, dict | list):
            return json.dumps(value)
        if isinstance(value, datetime):
            return self.moment(value)
        if hasattr(value, "value"):  # an enum member
            return value.value
        return value

    def moment(self, value: datetime):
        # SQLite stores naive UTC text as Django does; psycopg adapts aware datetimes.
        return value if self.postgres else value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")

    def uid(self):
        value = uuid.uuid4()
        return value if self.postgres else value.hex

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.tail_tuple)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(self.connection.ops.quote_name(c) for c in self.columns)
        with self.connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(self.columns))
                cursor.connection.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                    self.rows,
                )
        self.count += len(self.rows)
        self.rows = []


# ---------------------------------------------------------------------------------------
# Seeding


def make_clinic(slug: str, name: str):
    from taut.accounts.models import Clinic, User
    from taut.accounts.roles import Role

    clinic = Clinic.objects.create(name=name, slug=slug)
    lead = User.objects.create_user(
        f"{slug}-lead", clinic=clinic, role=Role.CLINIC_LEAD, first_name="Lead", last_name=name
    )
    clinicians = [
        User.objects.create_user(
            f"{slug}-clinician{n}",
            clinic=clinic,
            role=Role.CLINICIAN,
            first_name=f"Clinician{n}",
            last_name=name,
        )
        for n in range(1, 4)
    ]
    return clinic, lead, clinicians


def relief(baseline: int | None, score: int | None) -> tuple[bool | None, bool | None]:
    """≥ 30 % and ≥ 50 % relief (the stored responses), None without a score."""
    if baseline is None or score is None:
        return None, None
    fall = (baseline - score) / baseline
    return fall >= 0.3, fall >= 0.5


class Chains:
    """One patient's chains as ``taut.outcomes.daycounts`` sets them (its ``rebuild`` does
    it in SQL; here they are known as the rows are made, sparing an UPDATE of every row):
    the days of the previous sessions overall and in each group, and of the previous one
    with a durability time."""

    def __init__(self) -> None:
        self.days: list[date] = []
        self.followed: date | None = None
        self.groups: dict[tuple[str, str], date] = {}
        self.followed_groups: dict[tuple[str, str], date] = {}

    def overall(self, day: date, *, followed: bool) -> tuple:
        earlier = [*self.days[::-1][:4], None, None, None, None][:4]
        found = (*earlier, self.followed if followed else None)
        self.days.append(day)
        if followed:
            self.followed = day
        return found

    def in_group(self, group: tuple[str, str], day: date, *, followed: bool) -> tuple:
        found = (self.groups.get(group), self.followed_groups.get(group) if followed else None)
        self.groups[group] = day
        if followed:
            self.followed_groups[group] = day
        return found


class Seeder:
    def __init__(self, *, seed: int, today: date, now: datetime):
        from taut.aftercare.models import Alert, CheckIn
        from taut.clinical import atlas
        from taut.outcomes.models import SessionCheckin, SessionFacet, SessionOutcome
        from taut.patients.models import Patient
        from taut.reminders.models import Reminder
        from taut.visits.models import Visit

        self.random = random.Random(seed)
        self.today, self.now = today, now
        self.chains = Chains()
        self.muscles = list(atlas.MUSCLES)[:MUSCLES]
        self.muscle_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(self.muscles))]
        self.ids: dict[str, int] = defaultdict(int)
        self.patients = Table(
            Patient,
            [
                "id",
                "clinic_id",
                "public_id",
                "mrn",
                "given_name",
                "family_name",
                "date_of_birth",
                "sex",
                "search_name",
                "search_given",
            ],
            now=now,
        )
        self.visits = Table(
            Visit,
            [
                "id",
                "patient_id",
                "public_id",
                "recorded_at",
                "scheduled_for",
                "clinician_id",
                "kind",
                "state",
                "updated_at",
            ],
            now=now,
        )
        self.outcomes = Table(
            SessionOutcome,
            [
                "id",
                "visit_id",
                "patient_id",
                "clinic_id",
                "day",
                "clinician_id",
                "session_number",
                "days_since_previous",
                "baseline",
                "nrs_2w",
                "nrs_6w",
                "resp30_2w",
                "resp50_2w",
                "resp30_6w",
                "resp50_6w",
                "relief_days",
                "relief_ended",
                "guidance",
                "method",
                "steroid",
                "complications",
                "dose_override",
                "payer_met",
                "gas_t",
                "gas_day",
                "followups",
                "rule_version",
                "computed_at",
                "previous_day",
                "previous_day_2",
                "previous_day_3",
                "previous_day_4",
                "previous_followed_day",
            ],
            now=now,
        )
        self.facets = Table(
            SessionFacet,
            [
                "outcome_id",
                "clinic_id",
                "patient_id",
                "day",
                "dimension",
                "value",
                "resp30_2w",
                "resp50_2w",
                "resp30_6w",
                "resp50_6w",
                "relief_days",
                "relief_ended",
                "previous_day",
                "previous_followed_day",
            ],
            now=now,
        )
        self.checkins = Table(
            CheckIn,
            [
                "id",
                "visit_id",
                "patient_id",
                "public_id",
                "checkpoint",
                "offset_days",
                "label",
                "due_on",
                "completed_at",
                "nrs",
            ],
            now=now,
        )
        self.session_checkins = Table(
            SessionCheckin,
            [
                "outcome_id",
                "clinic_id",
                "patient_id",
                "day",
                "checkpoint",
                "offset_days",
                "label",
                "due_on",
                "answered",
            ],
            now=now,
        )
        self.alerts = Table(
            Alert,
            [
                "patient_id",
                "checkin_id",
                "visit_id",
                "public_id",
                "code",
                "severity",
                "text",
                "raised_at",
                "acknowledged_at",
            ],
            now=now,
        )
        self.reminders = Table(
            Reminder,
            [
                "public_id",
                "key",
                "kind",
                "patient_id",
                "clinic_id",
                "checkin_id",
                "status",
                "send_after",
            ],
            now=now,
        )
        self.tables = [
            self.patients,
            self.visits,
            self.outcomes,
            self.facets,
            self.checkins,
            self.session_checkins,
            self.alerts,
            self.reminders,
        ]

    def next_id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def clinic(self, clinic, clinicians, sessions: int) -> int:
        """Patients with 1–12 sessions each until ``sessions`` sessions; returns patients."""
        r = self.random
        first = self.today - timedelta(days=365 * YEARS)
        made, patients = 0, 0
        while made < sessions:
            patients += 1
            patient_id = self.next_id("patient")
            family = f"Zz{patient_id:07d}"
            self.patients.add(
                (
                    patient_id,
                    clinic.pk,
                    self.patients.uid(),
                    f"B{patient_id:07d}",
                    "Synthetic",
                    family,
                    date(1940 + patient_id % 60, 1 + patient_id % 12, 1 + patient_id % 28),
                    "female" if r.random() < 0.7 else "male",
                    f"{family.lower()} synthetic",
                    f"synthetic {family.lower()}",
                )
            )
            wanted = r.choices(SESSIONS_PER_PATIENT, SESSIONS_WEIGHTS)[0]
            day = first + timedelta(days=r.randrange(365 * YEARS))
            clinician = r.choice(clinicians)
            previous: date | None = None
            self.chains = Chains()
            for number in range(1, wanted + 1):
                if day > self.today or made >= sessions:
                    break
                self.session(clinic.pk, patient_id, clinician.pk, day, number, previous)
                made += 1
                previous = day
                day += timedelta(days=int(r.choice((21, 28, 35, 42, 56, 70, 90, 120, 180))))
        return patients

    def session(
        self, clinic_id, patient_id, clinician_id, day: date, number: int, previous: date | None
    ) -> None:
        r = self.random
        visit_id, outcome_id = self.next_id("visit"), self.next_id("outcome")
        moment = datetime(day.year, day.month, day.day, 9 + r.randrange(8), tzinfo=UTC)
        at = self.visits.moment(moment)
        self.visits.add(
            (
                visit_id,
                patient_id,
                self.visits.uid(),
                at,
                at,
                clinician_id,
                "new_assessment" if number == 1 else "repeat_session",
                "signed",
                at,
            )
        )
        age = (self.today - day).days
        baseline = r.randint(4, 9) if r.random() < 0.92 else None
        # Scores only once their check-in is due: 85 % at 2 weeks, 70 % at 6 weeks.
        nrs_2w = self.score(baseline) if age >= 14 and r.random() < 0.85 else None
        nrs_6w = self.score(baseline) if age >= 42 and r.random() < 0.70 else None
        r30_2w, r50_2w = relief(baseline, nrs_2w)
        r30_6w, r50_6w = relief(baseline, nrs_6w)
        relief_days: int | None = None
        ended: bool | None = None
        if r50_2w is not None:
            if r50_2w:  # relief lasted a while, then faded or was censored by the last answer
                relief_days = min(r.randint(14, 150), max(age, 14))
                ended = r.random() < 0.7
            else:
                relief_days, ended = r.randint(1, 14), True
        guidance = r.choices(("landmark", "ultrasound", "both"), (85, 12, 3))[0]
        method = r.choices(("injection", "dry_needling", "both"), (92, 6, 2))[0]
        steroid = method != "dry_needling" and r.random() < 0.1
        complications = (
            [r.choices(COMPLICATIONS, COMPLICATION_WEIGHTS)[0]] if r.random() < 0.01 else []
        )
        gas = r.random() < 0.3 and age > 42
        followups = (nrs_2w is not None) + (nrs_6w is not None)
        self.outcomes.add(
            (
                outcome_id,
                visit_id,
                patient_id,
                clinic_id,
                day,
                clinician_id,
                number,
                (day - previous).days if previous else None,
                baseline,
                nrs_2w,
                nrs_6w,
                r30_2w,
                r50_2w,
                r30_6w,
                r50_6w,
                relief_days,
                ended,
                guidance,
                method,
                steroid,
                len(complications),
                r.random() < 0.005,
                (r.random() < 0.8) if number > 1 else None,
                round(r.gauss(50, 10), 1) if gas else None,
                r.randint(40, 60) if gas else None,
                followups,
                "bench",
                self.outcomes.moment(self.now),
                *self.chains.overall(day, followed=relief_days is not None),
            )
        )
        facets = [
            ("muscle", m)
            for m in dict.fromkeys(r.choices(self.muscles, self.muscle_weights, k=r.randint(1, 3)))
        ]
        agents = []
        if method != "dry_needling":
            agents.append(r.choices(AGENTS, AGENT_WEIGHTS)[0])
        if method != "injection":
            agents.append("dry_needling")
        facets += [("agent", a) for a in agents]
        facets += [
            ("steroid", "yes" if steroid else "no"),
            ("guidance", guidance),
            ("method", method),
        ]
        indications = [r.choices([i for i, _ in INDICATIONS], [w for _, w in INDICATIONS])[0]]
        if r.random() < 0.2:
            indications.append(r.choice([i for i, _ in INDICATIONS]))
        facets += [("indication", i) for i in dict.fromkeys(indications)]
        facets += [
            ("session", str(number) if number < 4 else "4+"),
            ("clinician", str(clinician_id)),
        ]
        facets += [("complication", c) for c in complications]
        tail = (r30_2w, r50_2w, r30_6w, r50_6w, relief_days, ended)
        followed = relief_days is not None
        for dimension, value in facets:
            chain = self.chains.in_group((dimension, value), day, followed=followed)
            self.facets.add(
                (outcome_id, clinic_id, patient_id, day, dimension, value, *tail, *chain)
            )
        # Two check-ins a session (2 and 6 weeks), a reminder for each session's first, and
        # an alert for 1 % of sessions.
        for checkpoint, offset, label, score in (
            ("week_2", 14, "2 weeks", nrs_2w),
            ("week_6", 42, "6 weeks", nrs_6w),
        ):
            checkin_id = self.next_id("checkin")
            due = day + timedelta(days=offset)
            done = self.checkins.moment(moment + timedelta(days=offset, hours=3))
            self.checkins.add(
                (
                    checkin_id,
                    visit_id,
                    patient_id,
                    self.checkins.uid(),
                    checkpoint,
                    offset,
                    label,
                    due,
                    done if score is not None else None,
                    score,
                )
            )
            self.session_checkins.add(
                (
                    outcome_id,
                    clinic_id,
                    patient_id,
                    day,
                    checkpoint,
                    offset,
                    label,
                    due,
                    score is not None,
                )
            )
            if offset == 14:
                self.reminders.add(
                    (
                        self.reminders.uid(),
                        f"checkin:{checkin_id}",
                        "checkin",
                        patient_id,
                        clinic_id,
                        checkin_id,
                        r.choices(("sent", "skipped", "failed", "pending"), (90, 6, 2, 2))[0],
                        self.reminders.moment(moment + timedelta(days=offset - 1)),
                    )
                )
                if r.random() < 0.01 and age > 16:
                    raised = moment + timedelta(days=offset, hours=3)
                    delay = r.choices((0.5, 5, 30, None), (50, 35, 10, 5))[0]
                    self.alerts.add(
                        (
                            patient_id,
                            checkin_id,
                            visit_id,
                            self.alerts.uid(),
                            r.choice(ALERT_CODES),
                            "urgent",
                            "Synthetic alert",
                            self.alerts.moment(raised),
                            None
                            if delay is None
                            else self.alerts.moment(raised + timedelta(hours=delay)),
                        )
                    )

    def score(self, baseline: int | None) -> int | None:
        if baseline is None:
            return self.random.randint(0, 8)
        return max(0, min(10, baseline - self.random.choice((-1, 0, 1, 2, 3, 4, 5, 6))))

    def flush(self) -> None:
        for table in self.tables:
            table.flush()


def reset_sequences() -> None:
    """Keys were given explicitly: move PostgreSQL's sequences past them."""
    from django.core.management.color import no_style
    from django.db import connection

    from taut.aftercare.models import Alert, CheckIn
    from taut.outcomes.models import SessionCheckin, SessionFacet, SessionOutcome
    from taut.patients.models import Patient
    from taut.reminders.models import Reminder
    from taut.visits.models import Visit

    models = [
        Patient,
        Visit,
        SessionOutcome,
        SessionFacet,
        SessionCheckin,
        CheckIn,
        Alert,
        Reminder,
    ]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def seed(sessions: int, *, seed: int) -> dict[str, object]:
    from django.db import connection, transaction
    from django.utils import timezone

    from taut.outcomes import daycounts
    from taut.outcomes.models import CheckinCount, DayCount, ReliefCount

    now = timezone.now()
    main, _lead, clinicians = make_clinic("bench-main", "Benchmark Main")
    other, _, other_clinicians = make_clinic("bench-other", "Benchmark Other")
    today = main.today()
    seeder = Seeder(seed=seed, today=today, now=now)
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows are consistent by construction: skip the foreign keys' triggers,
            # which Django defers to the commit, where they took longer than the load.
            cursor.execute("SET LOCAL session_replication_role = replica")
        patients = seeder.clinic(main, clinicians, sessions)
        patients += seeder.clinic(other, other_clinicians, max(sessions // 50, 100))
        seeder.flush()
        if connection.vendor == "postgresql":
            reset_sequences()
        counting = time.perf_counter()
        for clinic in (main, other):
            daycounts.recount(clinic.pk)
        counted = time.perf_counter() - counting
    # VACUUM as autovacuum would after such a load: it sets the visibility map, without
    # which PostgreSQL's index-only scans read the table too; then ANALYZE (SQLite too).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    took = time.perf_counter() - start
    counts = {t.model.__name__: t.count for t in seeder.tables}
    counts |= {
        model.__name__: model.objects.count() for model in (DayCount, ReliefCount, CheckinCount)
    }
    return {"seconds": took, "patients": patients, "rows": counts, "counting": counted}


# ---------------------------------------------------------------------------------------
# Timing


FIGURES = {
    "queries": ("responders_for_clinic", "groups_for_clinic", "durability_for_clinic"),
    "operations": (
        "complications_for_clinic",
        "alerts_for_clinic",
        "overrides_for_clinic",
        "process_for_clinic",
        "goals_for_clinic",
    ),
}


def wrap_figures(spent: dict[str, list[float]]) -> None:
    """Time each figure's query function where ``pages`` calls it."""
    from taut.analytics import operations, queries

    for module in (queries, operations):
        for name in FIGURES[module.__name__.rsplit(".", 1)[-1]]:
            original = getattr(module, name)

            @functools.wraps(original)
            def timed(*args, _original=original, _name=name, **kwargs):
                start = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    spent[_name].append((time.perf_counter() - start) * 1000)

            setattr(module, name, timed)


def measure(client, url: str, runs: int, spent: dict[str, list[float]]):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    assert response.status_code == 200, response.status_code
    spent.clear()
    times = []
    with CaptureQueriesContext(connection) as captured:
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
    return statistics.median(times), len(captured.captured_queries) // runs, dict(spent)


def time_pages(lead, runs: int) -> None:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    client = Client()
    client.force_login(lead)
    url = reverse("analytics:overview")
    spent: dict[str, list[float]] = defaultdict(list)
    wrap_figures(spent)
    pages = [
        ("default page (last 12 months)", url),
        (
            "muscle filter, the commonest (no day counts: the facets are read)",
            f"{url}?only=muscle:{muscle()}",
        ),
        ("curves by agent", f"{url}?curves=agent"),
        ("all 3 years", f"{url}?start={lead.clinic.today() - timedelta(days=365 * YEARS)}"),
        (
            "the year before last (a year of sessions after it)",
            f"{url}?start={lead.clinic.today() - timedelta(days=730)}"
            f"&end={lead.clinic.today() - timedelta(days=366)}",
        ),
        (
            "12 months to yesterday (the sessions after it read too)",
            f"{url}?start={lead.clinic.today() - timedelta(days=365)}"
            f"&end={lead.clinic.today() - timedelta(days=1)}",
        ),
    ]
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"\nPage times on {engine}, median of {runs} after one warm-up (ms):")
    for label, address in pages:
        total, queries, figures = measure(client, address, runs, spent)
        print(f"\n  {label}: {total:8.0f} ms, {queries} queries   {address}")
        for name, values in figures.items():
            print(f"      {name:28} {statistics.median(values):8.0f}")


def muscle() -> str:
    from taut.clinical import atlas

    return next(iter(atlas.MUSCLES))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (else SQLite)")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--sessions", type=int, help="default 1,000,000 PG, 100,000 SQLite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="time a kept database")
    args = parser.parse_args()
    sessions = args.sessions or (1_000_000 if args.postgres else 100_000)
    workdir = Path(tempfile.mkdtemp(prefix="taut-bench-analytics-"))
    if args.postgres:
        url = create_postgres(args.server, reuse=args.reuse)
    else:
        path = SQLITE_KEPT if args.keep or args.reuse else workdir / "bench.sqlite3"
        if path.exists() and not args.reuse:
            path.unlink()
        path.parent.mkdir(exist_ok=True)
        url = f"sqlite:///{path}"
    try:
        setup_django(url, workdir / "static")
        from taut.accounts.models import User
        from taut.outcomes.models import SessionOutcome

        if not (args.reuse and SessionOutcome.objects.exists()):
            print(f"Seeding {sessions:,} sessions…", flush=True)
            result = seed(sessions, seed=args.seed)
            rows = ", ".join(f"{n:,} {name}" for name, n in result["rows"].items())
            print(f"Seeded in {result['seconds']:.0f} s: {result['patients']:,} patients; {rows}.")
            print(f"Of which counting the days (daycounts.recount): {result['counting']:.0f} s.")
        print(f"Database size: {database_size() / 2**20:,.0f} MiB")
        time_pages(User.objects.get(username="bench-main-lead"), args.runs)
    finally:
        if args.postgres and not args.keep:
            drop_postgres(args.server)
        elif args.keep:
            print(f"\nKept the database: {url}")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
