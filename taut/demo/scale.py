"""A clinic network of realistic size, made quickly: ``taut seed-scale``.

Seeding through the services tells a coherent story but writes one patient at a time
(about 400 queries each). At 50,000 patients that takes hours, so the network is built in
two steps (docs/decisions/0020-scale-seeder.md):

1. The demo clinic is seeded through the services as ``taut demo`` seeds it, with a few
   dozen patients: the *template*, coherent because the app wrote it.
2. Each further patient is a *replica* of one template patient, in one of several other
   clinics with their own staff: every row of the template patient's history (chart,
   drawings, visits with intake, exam, consent, procedure and sites, signed notes and
   addenda, check-ins, alerts, readings, decisions, reminders) is copied with
   ``bulk_create`` in batches, with a new name, MRN, date of birth, contact details and new
   public ids, foreign keys pointing at the replica's rows and the replica clinic's staff,
   and the derived fields made again (search columns, the note's text and its SHA-256,
   reminder keys, the check-in's goal ids). One transaction per batch of patients.

The replicas keep the template's timeline (their sessions are on the same days), so
what was true of the template on the day it was seeded is true of each replica: doses
within the limits, check-ins answered on their days, a next step due when it is due. Dates
of birth move by whole years and days only where the patient's age bands (adult, over 70)
stay the same on every day of their history. The stored next-step due days are computed
afterwards by ``outcomes.services.refresh_next_steps_for_clinic``; each replica's
registration is one audit event, written by ``audit.services.record_event``.
"""

import hashlib
import math
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils.html import escape
from faker import Faker

from taut.accounts.actors import Actor
from taut.accounts.models import Clinic, User
from taut.aftercare.models import Alert, CheckIn
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical.dosing.factors import ADULT_AGE, age_on
from taut.demo.seed import CLINIC_SLUG, DEMO_PASSWORD, FAMILY_NAMES, LANGUAGES, _email, seed_demo
from taut.drawings.models import PainDrawing, PainMark
from taut.lib.dates import day
from taut.outcomes.models import FunctionReading, NextStepDecision, NextStepDue
from taut.outcomes.services import refresh_next_steps_for_clinic
from taut.patients.models import Allergy, Condition, Measurement, Medication, Patient
from taut.patients.services import name_search_fields
from taut.reminders.models import Reminder
from taut.visits.models import (
    Addendum,
    Consent,
    FibromyalgiaSurvey,
    InjectionSite,
    Intake,
    Note,
    Procedure,
    ScreeningDecision,
    TimeOut,
    TriggerPointFinding,
    Visit,
)
from taut.visits.models.intake import Goal

TEMPLATE_PATIENTS = 40
PATIENTS_PER_CLINIC = 5000  # the default number of clinics follows from it
BATCH = 250  # replica patients per transaction
INSERT_BATCH = 2000  # rows per INSERT statement (under SQLite's variable limit)
SEED_ACTOR = "taut seed-scale"
SLUG_PREFIX = "scale-"  # the replica clinics: scale-01, scale-02…

# Every patient-scoped table, parents first, with the path from its rows to the patient.
COPIED: list[tuple[type[models.Model], str]] = [
    (Measurement, "patient"),
    (Allergy, "patient"),
    (Medication, "patient"),
    (Condition, "patient"),
    (PainDrawing, "patient"),
    (PainMark, "drawing__patient"),
    (Visit, "patient"),
    (TriggerPointFinding, "visit__patient"),
    (Intake, "visit__patient"),
    (Goal, "patient"),
    (FibromyalgiaSurvey, "visit__patient"),
    (ScreeningDecision, "visit__patient"),
    (Consent, "visit__patient"),
    (TimeOut, "visit__patient"),
    (Procedure, "visit__patient"),
    (InjectionSite, "procedure__visit__patient"),
    (Note, "visit__patient"),
    (Addendum, "note__visit__patient"),
    (CheckIn, "patient"),
    (Alert, "patient"),
    (NextStepDecision, "patient"),
    (FunctionReading, "patient"),
    (NextStepDue, "patient"),
    (Reminder, "patient"),
]
# Invented places for the replica clinics' names.
PLACES = ["Northgate", "Lakeside", "Hillcrest", "Meadowbank", "Stonebridge", "Willowmere",
          "Oakhollow", "Brackenfield", "Fernhill", "Elmstead", "Harrowdale", "Kestrelford"]  # fmt: skip


@dataclass(frozen=True)
class ScaleSeeded:
    clinics: list[Clinic]
    created_patients: int
    total_patients: int


def seed_scale(
    *,
    seed: int = 2026,
    patients_wanted: int,
    now: datetime,
    template: int = TEMPLATE_PATIENTS,
    clinics: int | None = None,
    say: Callable[[str], None] | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> ScaleSeeded:
    """A network of ``patients_wanted`` patients as it stands at ``now``: the demo clinic
    with ``template`` patients seeded through the services, and the rest replicated from
    them into ``clinics`` other clinics (by default one per 5,000). Deterministic for a
    seed; re-running adds only what is missing."""
    template = min(template, patients_wanted)
    if say:
        say(f"Seeding the template: the demo clinic with {template} patients…")
    seed_demo(seed=seed, patients_wanted=template, now=now)
    demo = Clinic.objects.get(slug=CLINIC_SLUG)
    replicas = patients_wanted - template
    if clinics is None:
        clinics = max(2, math.ceil(replicas / PATIENTS_PER_CLINIC))
    made = replicate(
        template=demo,
        seed=seed,
        replicas=replicas,
        clinics=clinics if replicas else 0,
        now=now,
        say=say,
        progress=progress,
    )
    network = [demo, *made.clinics]
    total = Patient.objects.filter(clinic__in=network).count()
    return ScaleSeeded(
        clinics=network, created_patients=made.created_patients, total_patients=total
    )


def replicate(
    *,
    template: Clinic,
    seed: int,
    replicas: int,
    clinics: int,
    now: datetime,
    say: Callable[[str], None] | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> ScaleSeeded:
    """``replicas`` patients copied from ``template``'s, spread over ``clinics`` clinics
    (replica ``n`` goes to clinic ``(n - 1) % clinics`` and copies template patient
    ``(n - 1) // clinics``, modulo their number). Replicas already there are kept."""
    source = _Template.load(template, now=now)
    if not source.patients or not clinics:
        return ScaleSeeded(clinics=[], created_patients=0, total_patients=0)
    network = [_clinic(template, seed, index, now=now) for index in range(clinics)]
    staff = {clinic.pk: _staff(clinic, source.users, now=now) for clinic in network}
    # By MRN in any replica clinic: a top-up with more clinics keeps the replicas made.
    made = Patient.objects.filter(clinic__slug__startswith=SLUG_PREFIX)
    existing = set(made.values_list("mrn", flat=True))
    names = _Names(seed)
    wanted = [n for n in range(1, replicas + 1) if replica_mrn(n) not in existing]
    batches = [wanted[i : i + BATCH] for i in range(0, len(wanted), BATCH)]
    if say:
        say(f"Replicating {len(wanted)} patients into {clinics} clinics…")
    for batch in progress(batches) if progress else batches:
        with transaction.atomic():
            copier = _Copier(source=source, staff=staff, now=now)
            for number in batch:
                clinic = network[(number - 1) % clinics]
                original = source.patients[((number - 1) // clinics) % len(source.patients)]
                rng = random.Random(f"taut-scale:{seed}:{number}")
                copier.add(original, _identity(rng, names, original, number, now), clinic)
            copier.write()
            _audit(copier.replicas, now)
    total = Patient.objects.filter(clinic__in=network).count()
    return ScaleSeeded(clinics=network, created_patients=len(wanted), total_patients=total)


def replica_mrn(number: int) -> str:
    return f"S{number:07d}"


# The template, read once.


@dataclass
class _Table:
    """One copied table: its columns (primary key first) and, for each template patient,
    its rows as the database stores them (values prepared once)."""

    model: type[models.Model]
    columns: list[models.Field]
    rows: dict[int, list[list[Any]]]
    python: dict[int, list[list[Any]]]  # the same rows as Python values

    def index(self, name: str) -> int:
        return next(i for i, f in enumerate(self.columns) if f.name == name)

    @cached_property
    def public(self) -> int | None:
        """Where the public id is, if the table has one."""
        return next((i for i, f in enumerate(self.columns) if f.name == "public_id"), None)

    @cached_property
    def links(self) -> list[tuple[int, Any]]:
        """Where the foreign keys are, and the model each points at."""
        return [(i, f.related_model) for i, f in enumerate(self.columns) if f.is_relation]


@dataclass
class _Template:
    clinic: Clinic
    patients: list[Patient]
    users: dict[int, User]
    tables: list[_Table]
    note_hashes: dict[int, str]  # a template note's id → its SHA-256
    zone: Any

    @classmethod
    def load(cls, clinic: Clinic, *, now: datetime) -> "_Template":
        # Its stored next-step days first: the replicas copy them (same facts, same days).
        refresh_next_steps_for_clinic(clinic=clinic, now=now)
        patients = list(Patient.objects.filter(clinic=clinic).order_by("mrn"))
        users = {u.pk: u for u in User.objects.filter(clinic=clinic).order_by("pk")}
        tables = [_table(Patient, "", clinic)]
        tables += [_table(model, path, clinic) for model, path in COPIED]
        notes = dict(Note.objects.filter(visit__patient__clinic=clinic).values_list("pk", "sha256"))
        return cls(
            clinic=clinic,
            patients=patients,
            users=users,
            tables=tables,
            note_hashes=notes,
            zone=clinic.zone(),
        )


def _table(model: type[models.Model], path: str, clinic: Clinic) -> _Table:
    columns = [model._meta.pk, *(f for f in model._meta.concrete_fields if not f.primary_key)]
    owner = f"{path}__id" if path else "id"
    found = (
        model._default_manager.filter(**{f"{path}__clinic" if path else "clinic": clinic})
        .order_by("pk")
        .values_list(*(f.attname for f in columns), owner)
    )
    rows: dict[int, list[list[Any]]] = defaultdict(list)
    python: dict[int, list[list[Any]]] = defaultdict(list)
    for *values, patient_id in found:
        python[patient_id].append(values)
        rows[patient_id].append(
            [f.get_db_prep_save(v, connection) for f, v in zip(columns, values, strict=True)]
        )
    return _Table(model=model, columns=columns, rows=rows, python=python)


# The network's clinics and their staff.


def _clinic(template: Clinic, seed: int, index: int, *, now: datetime) -> Clinic:
    slug = f"{SLUG_PREFIX}{index + 1:02d}"
    clinic = Clinic.objects.filter(slug=slug).first()
    if clinic is not None:
        return clinic
    place = PLACES[index % len(PLACES)] + (f" {index // len(PLACES) + 1}" if index >= 12 else "")
    copied = {
        f.attname: getattr(template, f.attname)
        for f in Clinic._meta.concrete_fields
        if not f.primary_key
        and f.name not in ("public_id", "name", "slug", "address", "phone", "email", "created_at")
    }
    rng = random.Random(f"taut-scale-clinic:{seed}:{slug}")
    return Clinic.objects.create(
        **copied,
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        name=f"{place} Muscle Pain Clinic (synthetic)",
        slug=slug,
        address=f"{index + 1} {place} Road, Springfield",
        phone=f"(555) 010-{index + 200:04d}"[:14],
        email=f"{slug}@example.org",
        created_at=now,
    )


def _staff(clinic: Clinic, template_users: dict[int, User], *, now: datetime) -> dict[int, int]:
    """The clinic's staff, one for each of the template clinic's (``scale-01-clinician``…),
    with the demo's published password; template user id → this clinic's user id."""
    existing = {u.username: u for u in User.objects.filter(clinic=clinic)}
    password = None
    mapping = {}
    for user in template_users.values():
        username = f"{clinic.slug}-{user.username}"
        member = existing.get(username)
        if member is None:
            password = password or make_password(DEMO_PASSWORD)
            # From the clinic's public id (itself from the seed), not its key: the same
            # names on every database for a seed.
            rng = random.Random(f"taut-scale-staff:{clinic.public_id}:{username}")
            member = User.objects.create(
                username=username,
                first_name=user.first_name,
                last_name=rng.choice(FAMILY_NAMES),
                email=f"{username}@example.org",
                role=user.role,
                clinic=clinic,
                password=password,
                public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                date_joined=now,
            )
        mapping[user.pk] = member.pk
    return mapping


# A replica's new identity.


class _Names:
    """Given names by language and sex from the demo's Faker locales, made once."""

    def __init__(self, seed: int):
        self.pools: dict[tuple[str, str], list[str]] = {}
        for language, locale, _ in LANGUAGES:
            fake = Faker(locale)
            fake.seed_instance(seed)
            self.pools[language, "female"] = [fake.first_name_female() for _ in range(60)]
            self.pools[language, "male"] = [fake.first_name_male() for _ in range(60)]
            self.pools[language, "other"] = [fake.first_name() for _ in range(60)]

    def given(self, rng: random.Random, language: str, sex: str) -> str:
        pool = self.pools.get((language, sex)) or self.pools["en", "other"]
        return rng.choice(pool)


@dataclass(frozen=True)
class _Identity:
    number: int
    given_name: str
    family_name: str
    date_of_birth: date
    phone: str
    email: str
    address: str
    rng: random.Random


def _identity(rng, names: _Names, original: Patient, number: int, now: datetime) -> _Identity:
    given = names.given(rng, original.preferred_language, original.sex)
    family = rng.choice(FAMILY_NAMES)
    email = _email(given, family, number, rng.choice(["org", "com", "net"]))
    return _Identity(
        number=number,
        given_name=given,
        family_name=family,
        date_of_birth=_born(rng, original.date_of_birth, now.date()),
        phone=f"({rng.choice(['212', '312', '415', '503', '617'])}) 555-01{rng.randint(0, 99):02d}",
        email=email if original.email else "",
        address=f"{rng.randint(1, 999)} {rng.choice(FAMILY_NAMES)} Lane, Springfield",
        rng=rng,
    )


def _born(rng: random.Random, born: date, today: date) -> date:
    """A date of birth near ``born`` that keeps the patient's dosing age bands (adult, over
    70) the same on every day of a history up to two years long; else ``born``."""

    def bands(dob: date) -> tuple:
        return tuple(
            (age >= ADULT_AGE, age >= 70)
            for age in (age_on(dob, today - timedelta(days=d)) for d in (0, 365, 730))
        )

    for _ in range(5):
        years = rng.randint(-4, 4)
        try:
            moved = born.replace(year=born.year + years)
        except ValueError:  # 29 February
            moved = born.replace(year=born.year + years, day=28)
        moved += timedelta(days=rng.randint(-180, 180))
        if moved < today and bands(moved) == bands(born):
            return moved
    return born


# Copying rows.


class _Copier:
    """The rows of one batch of replicas, inserted table by table with ``executemany``.

    Primary keys are given here, following the table's largest (one writer: the seeder),
    so rows can point at each other before they are written; PostgreSQL's sequences are
    moved past them afterwards."""

    def __init__(self, *, source: _Template, staff: dict[int, dict[int, int]], now: datetime):
        self.source = source
        self.staff = staff
        self.now = now
        self.replicas: list[tuple[Patient, _Identity, Clinic]] = []
        self.note_hashes: dict[int, str] = {}  # a replica note's id → its new SHA-256

    def add(self, original: Patient, identity: _Identity, clinic: Clinic) -> None:
        self.replicas.append((original, identity, clinic))

    def write(self) -> list[tuple[int, str]]:
        """Insert the batch; the new patients' ids and public ids."""
        # Per replica and table: template primary key → new one; old public id → new one.
        ids: list[dict[type[models.Model], dict[int, int]]] = [{} for _ in self.replicas]
        uuids: list[dict[str, str]] = [{} for _ in self.replicas]
        with connection.cursor() as cursor:
            for table in self.source.tables:
                next_id = (table.model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
                for index, (original, _, _) in enumerate(self.replicas):
                    mapping = ids[index].setdefault(table.model, {})
                    for row in table.python.get(original.pk, ()):
                        mapping[row[0]] = next_id
                        next_id += 1
            for table in self.source.tables:
                rows = []
                for index, (original, who, clinic) in enumerate(self.replicas):
                    for prepared, python in zip(
                        table.rows.get(original.pk, ()),
                        table.python.get(original.pk, ()),
                        strict=True,
                    ):
                        rows.append(
                            self._clone(table, prepared, python, index, who, clinic, ids, uuids)
                        )
                if rows:
                    names = ", ".join(
                        connection.ops.quote_name(f.column or f.attname) for f in table.columns
                    )
                    marks = ", ".join(["%s"] * len(table.columns))
                    into = connection.ops.quote_name(table.model._meta.db_table)
                    # Names from the models, values as parameters.
                    sql = f"INSERT INTO {into} ({names}) VALUES ({marks})"  # noqa: S608
                    for start in range(0, len(rows), INSERT_BATCH):
                        cursor.executemany(sql, rows[start : start + INSERT_BATCH])
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [t.model for t in self.source.tables]
            ):
                cursor.execute(statement)
        return [
            (ids[i][Patient][original.pk], uuids[i][str(original.public_id)])
            for i, (original, _, _) in enumerate(self.replicas)
        ]

    def _clone(self, table, prepared, python, index, who, clinic, ids, uuids) -> list[Any]:
        row = list(prepared)
        row[0] = ids[index][table.model][python[0]]  # the primary key
        if table.public is not None:
            new = uuid.UUID(int=who.rng.getrandbits(128), version=4)
            uuids[index][str(python[table.public])] = str(new)
            row[table.public] = table.columns[table.public].get_db_prep_save(new, connection)
        staff = self.staff[clinic.pk]
        for i, related in table.links:
            value = python[i]
            if value is None:
                continue
            if related is User:
                row[i] = staff[value]
            elif related is Clinic:
                row[i] = clinic.pk
            else:
                row[i] = ids[index][related][value]
        self._derive(table, row, python, index, who, clinic, ids, uuids)
        return row

    def _derive(self, table, row, python, index, who, clinic, ids, uuids) -> None:
        """The fields computed from others, made again from the replica's."""
        model = table.model

        def put(name: str, value: Any) -> None:
            i = table.index(name)
            row[i] = table.columns[i].get_db_prep_save(value, connection)

        if model is Patient:
            put("mrn", replica_mrn(who.number))
            put("given_name", who.given_name)
            put("family_name", who.family_name)
            put("date_of_birth", who.date_of_birth)
            put("phone", who.phone)
            put("email", who.email)
            put("address", who.address)
            put("version", 1)
            put("created_at", self.now)
            put("updated_at", self.now)
            put("updated_by", None)
            for name, value in name_search_fields(
                given_name=who.given_name, family_name=who.family_name
            ).items():
                put(name, value)
        elif model is Note:
            body = self._retold(python[table.index("body_html")], index, who, clinic)
            put("body_html", body)
            digest = hashlib.sha256(body.encode()).hexdigest()
            put("sha256", digest)
            self.note_hashes[row[0]] = digest
        elif model is Addendum:
            put("sha256", self._addendum_hash(table, row, python))
        elif model is CheckIn:
            answers = python[table.index("answers")]
            if isinstance(answers.get("gas"), dict):
                goals = ids[index][Goal]
                gas = {str(goals[int(k)]): v for k, v in answers["gas"].items()}
                put("answers", {**answers, "gas": gas})
        elif model is Reminder:
            key = python[table.index("key")]
            put("key", ":".join(uuids[index].get(part, part) for part in key.split(":")))
            original = self.replicas[index][0]
            if python[table.index("to_address")] == original.email:
                put("to_address", who.email)

    def _addendum_hash(self, table, row, python) -> str:
        """An addendum's SHA-256 covers its note's, its moment, its author and its text
        (``visits.services.note.add_addendum``): made again over the replica's note and
        author, with the moment written as the template's was (UTC or the clinic's clock)."""
        old = python[table.index("sha256")]
        text = python[table.index("text")]
        signed_at = python[table.index("signed_at")]
        old_note = self.source.note_hashes[python[table.index("note")]]
        old_user = python[table.index("signed_by")]
        for stamp in (signed_at.isoformat(), signed_at.astimezone(self.source.zone).isoformat()):
            if hashlib.sha256(f"{old_note}|{stamp}|{old_user}|{text}".encode()).hexdigest() == old:
                new_note = self.note_hashes[row[table.index("note")]]
                user = row[table.index("signed_by")]
                return hashlib.sha256(f"{new_note}|{stamp}|{user}|{text}".encode()).hexdigest()
        return old  # not the template's formula: nothing to keep true

    def _retold(self, body: str, index: int, who: "_Identity", clinic: Clinic) -> str:
        """The note's text about the replica: its header line names the patient, their
        MRN and date of birth; the clinicians are the replica clinic's."""
        original = self.replicas[index][0]
        replica = Patient(
            given_name=who.given_name,
            family_name=who.family_name,
            mrn=replica_mrn(who.number),
            date_of_birth=who.date_of_birth,
        )
        body = body.replace(escape(_note_header(original)), escape(_note_header(replica)))
        for template_user, user in self._staff_names(clinic.pk):
            body = body.replace(escape(template_user), escape(user))
        return body

    def _staff_names(self, clinic_id: int) -> list[tuple[str, str]]:
        cached = self.__dict__.setdefault("_names", {})
        if clinic_id not in cached:
            users = User.objects.in_bulk(self.staff[clinic_id].values())
            cached[clinic_id] = [
                (u.display_name, users[self.staff[clinic_id][pk]].display_name)
                for pk, u in self.source.users.items()
            ]
        return cached[clinic_id]


def _note_header(patient: Patient) -> str:
    """How a note's first line names the patient (visits/note_body.html)."""
    return f"{patient.display_name} · MRN {patient.mrn} · born {day(patient.date_of_birth)}"


def _audit(replicas: list[tuple[Patient, "_Identity", Clinic]], now: datetime) -> None:
    """One audit event per clinic and batch, written by ``record_event``: the seeder created
    that many patients there. (One per patient would cost a chained write each.)"""
    counts = Counter(clinic for _, _, clinic in replicas)
    for clinic, count in sorted(counts.items(), key=lambda item: item[0].pk):
        record_event(
            actor=Actor.system(SEED_ACTOR, now=now, clinic=clinic),
            action=Action.CREATE,
            object_type="patients",
            clinic_id=clinic.pk,
            details={"patients": count},
        )
