"""Copying template rows into replicas: read once, written per table with ``executemany``."""

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils.html import escape

from taut.accounts.models import Clinic, User
from taut.aftercare.models import Alert, CheckIn
from taut.demo.scale.identity import Identity, replica_mrn
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

INSERT_BATCH = 2000  # rows per INSERT statement (under SQLite's variable limit)

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
# The template, read once.


@dataclass
class Table:
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
class Template:
    clinic: Clinic
    patients: list[Patient]
    users: dict[int, User]
    tables: list[Table]
    note_hashes: dict[int, str]  # a template note's id → its SHA-256
    zone: Any

    @classmethod
    def load(cls, clinic: Clinic, *, now: datetime) -> "Template":
        # Its stored next-step days first: the replicas copy them (same facts, same days).
        refresh_next_steps_for_clinic(clinic=clinic, now=now)
        patients = list(Patient.objects.filter(clinic=clinic).order_by("mrn"))
        users = {u.pk: u for u in User.objects.filter(clinic=clinic).order_by("pk")}
        tables = [table_of(Patient, "", clinic)]
        tables += [table_of(model, path, clinic) for model, path in COPIED]
        notes = dict(Note.objects.filter(visit__patient__clinic=clinic).values_list("pk", "sha256"))
        return cls(
            clinic=clinic,
            patients=patients,
            users=users,
            tables=tables,
            note_hashes=notes,
            zone=clinic.zone(),
        )


def table_of(model: type[models.Model], path: str, clinic: Clinic) -> Table:
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
    return Table(model=model, columns=columns, rows=rows, python=python)


# Copying rows.


class Copier:
    """The rows of one batch of replicas, inserted table by table with ``executemany``.

    Primary keys are given here, following the table's largest (one writer: the seeder),
    so rows can point at each other before they are written; PostgreSQL's sequences are
    moved past them afterwards."""

    def __init__(
        self, *, source: Template, staff: dict[tuple[int, int], dict[int, int]], now: datetime
    ):
        self.source = source
        self.staff = staff  # (clinic id, team) → template user id → the clinic's user id
        self.now = now
        self.replicas: list[tuple[Patient, Identity, Clinic]] = []
        self.teams: list[int] = []
        self.note_hashes: dict[int, str] = {}  # a replica note's id → its new SHA-256

    def add(self, original: Patient, identity: Identity, clinic: Clinic, *, team: int = 0) -> None:
        self.replicas.append((original, identity, clinic))
        self.teams.append(team)

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
        staff = self.staff[clinic.pk, self.teams[index]]
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

    def _retold(self, body: str, index: int, who: "Identity", clinic: Clinic) -> str:
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
        for template_user, user in self._staff_names(clinic.pk, self.teams[index]):
            body = body.replace(escape(template_user), escape(user))
        return body

    def _staff_names(self, clinic_id: int, team: int) -> list[tuple[str, str]]:
        cached = self.__dict__.setdefault("_names", {})
        if (clinic_id, team) not in cached:
            staff = self.staff[clinic_id, team]
            users = User.objects.in_bulk(staff.values())
            cached[clinic_id, team] = [
                (u.display_name, users[staff[pk]].display_name)
                for pk, u in self.source.users.items()
            ]
        return cached[clinic_id, team]


def _note_header(patient: Patient) -> str:
    """How a note's first line names the patient (visits/note_body.html)."""
    return f"{patient.display_name} · MRN {patient.mrn} · born {day(patient.date_of_birth)}"
