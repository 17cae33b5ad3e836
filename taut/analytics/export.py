"""The de-identified research export (issue 17, decision 0036): one row per signed session,
one per answered follow-up, or counts by what the sessions were, as CSV or Parquet.

Safe Harbor (``taut.clinical.deidentify``): no name, MRN, date, contact detail, address or
free text leaves; a patient is a study id made with a random key for this export only (not
kept, so two exports cannot be linked), each date a whole number of days after the
patient's first session, each age whole years or "90+". The registry holds no postcode
(``Patient.address`` is one line of free text), so no ZIP column is written.

Rows are generators over ``iterator()`` reads in chunks: memory stays flat whatever the
clinic's size. The caller passes the patients it may export (``patients_for_user``, the
patient gate) and audits the export.
"""

import csv
import itertools
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from taut.accounts.models import Clinic
from taut.aftercare.models import CheckIn
from taut.clinical import analytics, deidentify, outcomes
from taut.outcomes.models import SessionFacet, SessionOutcome
from taut.patients.audit_views import csv_safe
from taut.patients.models import Patient, Sex

CHUNK = 1000  # rows read from the database at a time
ROW_GROUP = 5000  # rows in one Parquet row group (and in memory at once)
LIST_SEPARATOR = ";"
SUPPRESSED = f"<{analytics.MIN_CELL_PATIENTS}"  # a count of 1 to 10 patients, never shown

# Each table's columns and their Parquet types (pyarrow's aliases), in order. Lists (muscles…) are one text
# column of ids joined by ";", the same in CSV and Parquet.
SESSION_COLUMNS: dict[str, str] = {
    "study_id": "string",
    "session_day": "int32",  # days after the patient's first session
    "age_years": "string",  # whole years at the session, "90+" from 90
    "sex": "string",  # "" when not recorded
    "session_number": "int16",
    "days_since_previous": "int32",  # empty for a first session
    "clinician": "string",  # a pseudonym for this export
    "muscles": "string",
    "structures": "string",
    "agents": "string",
    "steroid": "bool",
    "guidance": "string",
    "method": "string",
    "indications": "string",
    "complications": "string",
    "dose_override": "bool",
    "baseline_nrs": "int16",
    "nrs_2w": "int16",
    "nrs_6w": "int16",
    "resp30_2w": "bool",
    "resp50_2w": "bool",
    "resp30_6w": "bool",
    "resp50_6w": "bool",
    "relief_days": "int32",
    "relief_ended": "bool",
    "payer_met": "bool",
    "gas_t": "float64",
    "gas_day": "int32",
    "followups": "int16",
}
FOLLOWUP_COLUMNS: dict[str, str] = {
    "study_id": "string",
    "session_number": "int16",
    "session_day": "int32",
    "followup_day": "int32",  # days after the patient's first session
    "days_after_session": "int32",
    "checkpoint": "string",
    "nrs": "int16",
    "peg_pain": "int16",
    "peg_enjoyment": "int16",
    "peg_activity": "int16",
    "soreness": "int16",
    "pgic": "string",
    "gas_t": "float64",
}
# Counts as text: a cell of 1 to 10 patients reads "<11" (``analytics.suppressed``).
AGGREGATE_COLUMNS: dict[str, str] = {
    "dimension": "string",
    "value": "string",
    "patients": "string",
    "sessions": "string",
    "assessed_6w": "string",
    "responders30_6w": "string",
    "responders50_6w": "string",
}

# The facets listed in a session row, by column; the others are the outcome's own columns.
LISTED = {
    "muscles": SessionFacet.Dimension.MUSCLE,
    "structures": SessionFacet.Dimension.STRUCTURE,
    "agents": SessionFacet.Dimension.AGENT,
    "indications": SessionFacet.Dimension.INDICATION,
    "complications": SessionFacet.Dimension.COMPLICATION,
}
COLUMN_OF = {str(dimension): column for column, dimension in LISTED.items()}
# Copied as stored (no identifier or free text among them).
SESSION_FIELDS = (
    "session_number", "days_since_previous", "steroid", "guidance", "method", "dose_override", "nrs_2w", "nrs_6w",
    "resp30_2w", "resp50_2w", "resp30_6w", "resp50_6w", "relief_days", "relief_ended",
    "payer_met", "gas_t", "gas_day", "followups",
)  # fmt: skip
FOLLOWUP_FIELDS = ("nrs", "peg_pain", "peg_enjoyment", "peg_activity", "soreness", "pgic")


@dataclass(frozen=True)
class Table:
    name: str
    columns: dict[str, str]


TABLES = {
    "sessions": Table("sessions", SESSION_COLUMNS),
    "followups": Table("followups", FOLLOWUP_COLUMNS),
    "aggregate": Table("aggregate", AGGREGATE_COLUMNS),
}


@dataclass(frozen=True)
class ResearchExport:
    """One export: the patients it may read (from the gate), the clinic, the period of
    sessions (inclusive, either end open) and its own random key."""

    clinic: Clinic
    patients: QuerySet[Patient]
    start: date | None = None
    end: date | None = None
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    def sessions(self) -> QuerySet[SessionOutcome]:
        """The signed sessions in the period, of the clinic's patients the gate allowed."""
        found = SessionOutcome.objects.filter(
            clinic=self.clinic, patient__in=self.patients.values("pk")
        )
        if self.start is not None:
            found = found.filter(day__gte=self.start)
        if self.end is not None:
            found = found.filter(day__lte=self.end)
        return found

    def followups(self) -> QuerySet[CheckIn]:
        """The answered check-ins after the sessions in the period."""
        return CheckIn.objects.filter(
            visit__in=self.sessions().values("visit_id"), completed_at__isnull=False
        )

    def counts(self, table: str) -> dict[str, int]:
        """Rows and patients of ``table``, for the audit event (counting queries only)."""
        found = (self.followups() if table == "followups" else self.sessions()).aggregate(
            rows=Count("pk"), patients=Count("patient", distinct=True)
        )
        if table == "aggregate":
            found["rows"] = self._aggregate_groups().count()
        return {"rows": found["rows"], "patients": found["patients"]}

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        if table == "followups":
            return self.followup_rows()
        if table == "aggregate":
            return self.aggregate_rows()
        return self.session_rows()

    def session_rows(self) -> Iterator[dict[str, Any]]:
        """One row per signed session, oldest first within each patient; patients in the
        order of their random public ids, which says nothing of when they came (the order of
        row numbers or of first sessions would)."""
        facets = Prefetch(
            "facets", queryset=SessionFacet.objects.only("outcome", "dimension", "value")
        )
        found = (
            self.sessions()
            .annotate(first_day=_first_session_day())
            .select_related("patient")
            .only(
                "day",
                "clinician_id",
                "baseline",
                *SESSION_FIELDS,
                "patient__date_of_birth",
                "patient__sex",
            )
            .prefetch_related(facets)
            .order_by("patient__public_id", "day", "session_number")
        )
        for outcome in found.iterator(chunk_size=CHUNK):
            listed: dict[str, list[str]] = {column: [] for column in LISTED}
            for facet in outcome.facets.all():
                if facet.dimension in COLUMN_OF:
                    listed[COLUMN_OF[facet.dimension]].append(facet.value)
            patient = outcome.patient
            yield {
                "study_id": deidentify.study_id(self.key, outcome.patient_id),
                "session_day": deidentify.day_offset(outcome.day, anchor=outcome.first_day),
                "age_years": deidentify.age_band(
                    date_of_birth=patient.date_of_birth, on=outcome.day
                ),
                "sex": "" if patient.sex == Sex.UNKNOWN else patient.sex,
                "clinician": self._clinician(outcome.clinician_id),
                **{column: LIST_SEPARATOR.join(values) for column, values in listed.items()},
                "baseline_nrs": outcome.baseline,
                **{name: getattr(outcome, name) for name in SESSION_FIELDS},
            }

    def followup_rows(self) -> Iterator[dict[str, Any]]:
        """One row per answered check-in after a session in the period."""
        zone = self.clinic.zone()
        session = SessionOutcome.objects.filter(visit=OuterRef("visit"))
        found = (
            self.followups()
            .annotate(
                first_day=_first_session_day(),
                session_day=Subquery(session.values("day")[:1]),
                session_number=Subquery(session.values("session_number")[:1]),
            )
            .only("patient", "checkpoint", "completed_at", "answers", *FOLLOWUP_FIELDS)
            .order_by("patient__public_id", "completed_at", "pk")
        )
        for checkin in found.iterator(chunk_size=CHUNK):
            assert checkin.completed_at is not None
            answered = checkin.completed_at.astimezone(zone).date()
            gas = checkin.answers.get("gas") if isinstance(checkin.answers, dict) else None
            yield {
                "study_id": deidentify.study_id(self.key, checkin.patient_id),
                "session_number": checkin.session_number,
                "session_day": deidentify.day_offset(checkin.session_day, anchor=checkin.first_day),
                "followup_day": deidentify.day_offset(answered, anchor=checkin.first_day),
                "days_after_session": deidentify.day_offset(answered, anchor=checkin.session_day),
                "checkpoint": checkin.checkpoint,
                **{name: getattr(checkin, name) for name in FOLLOWUP_FIELDS},
                "gas_t": round(outcomes.gas_t_score(list(gas.values())), 1) if gas else None,
            }

    def aggregate_rows(self) -> Iterator[dict[str, Any]]:
        """Counts by dimension and value, each "<11" where it rests on 1 to 10 patients
        (``analytics.suppressed``); a responder count also where the non-responders are,
        since it and the assessed count would give them away."""
        for group in self._aggregate_groups().iterator(chunk_size=CHUNK):
            value = group["value"]
            if group["dimension"] == SessionFacet.Dimension.CLINICIAN:
                value = self._clinician(int(value))
            patients, assessed = group["patients"], group["assessed_patients"]
            yield {
                "dimension": group["dimension"],
                "value": value,
                "patients": _shown(patients, patients),
                "sessions": _shown(group["sessions"], patients),
                "assessed_6w": _shown(group["assessed"], assessed),
                **{
                    f"responders{level}_6w": _shown(
                        group[f"responders{level}"],
                        group[f"responder{level}_patients"],
                        group[f"non_responder{level}_patients"],
                    )
                    for level in (30, 50)
                },
            }

    def _aggregate_groups(self) -> QuerySet[Any, Any]:
        assessed = Q(resp50_6w__isnull=False)
        counts: dict[str, Count] = {
            "patients": Count("patient", distinct=True),
            "sessions": Count("outcome", distinct=True),
            "assessed": Count("outcome", distinct=True, filter=assessed),
            "assessed_patients": Count("patient", distinct=True, filter=assessed),
        }
        for level in (30, 50):
            responded, not_responded = (
                Q(**{f"resp{level}_6w": True}),
                Q(**{f"resp{level}_6w": False}),
            )
            counts[f"responders{level}"] = Count("outcome", distinct=True, filter=responded)
            counts[f"responder{level}_patients"] = Count("patient", distinct=True, filter=responded)
            counts[f"non_responder{level}_patients"] = Count(
                "patient", distinct=True, filter=not_responded
            )
        return (
            SessionFacet.objects.filter(outcome__in=self.sessions())
            .values("dimension", "value")
            .annotate(**counts)
            .order_by("dimension", "value")
        )

    def _clinician(self, user_id: int | None) -> str:
        return "" if user_id is None else deidentify.study_id(self.key, user_id, prefix="C")


def _shown(count: int, *patients: int) -> str:
    """``count`` as the aggregate table writes it: "<11" when any of ``patients`` (the
    patients it rests on, or lets a reader work out) is 1 to 10."""
    return SUPPRESSED if any(analytics.suppressed(n) for n in patients) else str(count)


def _first_session_day() -> Subquery:
    """The day of the patient's first signed session (the anchor of their day offsets),
    whatever the period: an offset means the same in every export."""
    first = SessionOutcome.objects.filter(patient=OuterRef("patient"), session_number=1)
    return Subquery(first.values("day")[:1])


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_cell(value: object) -> str:
    """A value as a CSV cell: empty for none, ``true``/``false``, numbers as written, text
    with a leading formula character neutralised (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return csv_safe(value)


def csv_chunks(rows: Iterable[dict[str, Any]], table: Table) -> Iterator[str]:
    """``rows`` as CSV text, a line at a time (every cell quoted, as the audit export)."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    yield writer.writerow(table.columns)
    for row in rows:
        yield writer.writerow([csv_cell(row[name]) for name in table.columns])


class _Drain:
    """A file Parquet writes into and the response empties after each row group."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def parquet_chunks(rows: Iterable[dict[str, Any]], table: Table) -> Iterator[bytes]:
    """``rows`` as a Parquet file, written and sent a row group at a time."""
    # Imported here, as WeasyPrint is (decision 0034): a web process loads pyarrow only
    # when a lead downloads Parquet, not at start-up.
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, pa.type_for_alias(kind)) for name, kind in table.columns.items()])
    sink = _Drain()
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        for batch in itertools.batched(rows, ROW_GROUP):
            writer.write_table(pa.Table.from_pylist(list(batch), schema=schema))
            yield sink.take()
    yield sink.take()
