"""The de-identified research export: what it holds and what it never does, who may
download it, and the audit event each download leaves.

A small clinic is built once for the module through the real services: the cast's patient
and a second one of 91 with an address and ZIP code, each with a signed session, the first
with an answered check-in; the other clinic's patient has a session too.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow.parquet as pq
import pytest
from django.urls import reverse
from django.utils import timezone

from taut.accounts.roles import Need, Role
from taut.aftercare.models import CheckIn
from taut.aftercare.tests import flow
from taut.analytics.export import TABLES, ResearchExport, csv_cell, csv_chunks, parquet_chunks
from taut.audit.models import Action, AuditEvent
from taut.clinical.deidentify import age_band
from taut.outcomes.models import SessionOutcome
from taut.patients.access import patients_for_user
from taut.patients.models import Patient
from taut.tests.cast import acting, make_patient, make_staff, sign_in
from taut.tests.once import built_once_per_module
from taut.visits.tests import flow as visit_flow
from taut.workflows import booking, followup, notes

URL = reverse("analytics:export")
DOWNLOAD = reverse("analytics:export_download")
KEY = bytes(range(32))


@dataclass
class Clinic:
    cast: object
    elder: Patient
    other_lead: object


def build_clinic(cast):
    elder = make_patient(
        cast.clinic, cast.front_desk, mrn="T0002", given_name="Beatrix", family_name="Oldacre",
        date_of_birth=date(1930, 2, 3), sex="male", phone="+1 617 555 0199",
        email="beatrix.oldacre@example.net", address="12 Elmwood Lane, Cambridge, MA 02139",
    )  # fmt: skip
    first = flow.signed(cast.patient, cast.clinician)
    signed_by(elder, cast.clinician)
    flow.signed(cast.other_patient, cast.outsider)
    checkin = first.checkins.order_by("due_on").first()
    followup.record_checkin(
        checkin=checkin,
        answers=flow.answers(checkin, nrs=2),
        actor=flow.on_due_day(cast.nurse, checkin),
    )
    other_lead = make_staff(cast.other_clinic, "otherlead", Role.CLINIC_LEAD, "Olga", "Lead")
    return Clinic(cast=cast, elder=elder, other_lead=other_lead)


def signed_by(patient, clinician):
    """A signed session whose visit names its clinician (``flow.signed``'s names none)."""
    v = booking.book_visit(
        patient=patient,
        scheduled_for=timezone.now() - timedelta(minutes=5),
        clinician=clinician,
        actor=acting(clinician),
    )
    v = visit_flow.with_intake(v, clinician)
    v = visit_flow.examined(v, clinician, (("trapezius_upper", "left"), ("rhomboids", "left")))
    v = visit_flow.consented(v, clinician)
    sites = [visit_flow.site(), visit_flow.site("rhomboids")]
    v = visit_flow.finished(visit_flow.with_sites(v, clinician, sites), clinician)
    notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(clinician))


clinic, _clinic_once = built_once_per_module(build_clinic, name="clinic")


def download(client, user, **params) -> bytes:
    sign_in(client, user)
    response = client.get(DOWNLOAD, {"format": "csv", "table": "sessions", **params})
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def parquet_rows(data: bytes) -> list[dict[str, str]]:
    """Parquet rows with each value written as the CSV writes it."""
    table = pq.read_table(io.BytesIO(data))
    return [{k: csv_cell(v) for k, v in row.items()} for row in table.to_pylist()]


def identifiers(patient: Patient) -> list[re.Pattern]:
    """What would identify ``patient``, as patterns over the export's text: names, MRN,
    date of birth in the usual spellings, phone (as typed and as digits), email, address
    and the ZIP code in it."""
    born = patient.date_of_birth
    spelt = [
        born.isoformat(), born.strftime("%m/%d/%Y"), born.strftime("%d/%m/%Y"),
        born.strftime("%Y%m%d"), born.strftime("%d.%m.%Y"), f"{born.month}/{born.day}/{born.year}",
        born.strftime("%B %d, %Y"), born.strftime("%d %B %Y"), born.strftime("%b %d %Y"),
    ]  # fmt: skip
    texts = [patient.mrn, *spelt, patient.phone, re.sub(r"\D", "", patient.phone),
             patient.email, patient.address, *re.findall(r"\b\d{5}\b", patient.address)]  # fmt: skip
    found = [re.compile(re.escape(text), re.I) for text in texts if text]
    names = (patient.given_name, patient.family_name)
    return found + [re.compile(rf"\b{re.escape(name)}\b", re.I) for name in names if name]


def test_it_exports_no_identifier_of_any_patient_in_the_database(client, clinic):
    text = ""
    for table in TABLES:
        text += download(client, clinic.cast.lead, table=table, format="csv").decode()
        data = download(client, clinic.cast.lead, table=table, format="parquet")
        text += repr(pq.read_table(io.BytesIO(data)).to_pylist())
    assert Patient.objects.count() == 3
    # The random codes could spell five digits of a ZIP code by chance: scan the rest.
    text = re.sub(r"\b[PC]-[0-9a-f]{12}\b", "CODE", text)
    for patient in Patient.objects.all():
        assert [p.pattern for p in identifiers(patient) if p.search(text)] == []
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "no calendar date leaves"
    assert "Nico" not in text and "Casey" not in text  # nor staff names


def test_it_writes_a_row_per_session_of_the_clinic_only(client, clinic):
    rows = csv_rows(download(client, clinic.cast.lead))
    assert len(rows) == 2  # the other clinic's session is not there
    assert len({row["study_id"] for row in rows}) == 2
    elder = next(row for row in rows if row["sex"] == "male")
    assert elder["age_years"] == "90+"
    assert {row["session_day"] for row in rows} == {"0"}
    assert {row["session_number"] for row in rows} == {"1"}
    assert elder["muscles"] == "trapezius_upper;rhomboids"
    assert elder["clinician"].startswith("C-") and elder["baseline_nrs"].isdigit()
    session = SessionOutcome.objects.get(patient=clinic.cast.patient)
    own = next(row for row in rows if row["sex"] == "female")
    born = clinic.cast.patient.date_of_birth
    assert own["age_years"] == age_band(date_of_birth=born, on=session.day)
    assert own["steroid"] in ("true", "false") and own["followups"] == "1"


def test_it_writes_a_row_per_answered_follow_up_in_days_after_the_session(client, clinic):
    rows = csv_rows(download(client, clinic.cast.lead, table="followups"))
    checkin = CheckIn.objects.get(patient=clinic.cast.patient, completed_at__isnull=False)
    assert len(rows) == 1
    (row,) = rows
    assert row["days_after_session"] == row["followup_day"] == str(checkin.offset_days)
    assert row["session_day"] == "0" and row["checkpoint"] == checkin.checkpoint
    assert row["nrs"] == "2" and row["session_number"] == "1"


def test_it_suppresses_counts_of_one_to_ten_patients(client, clinic):
    rows = csv_rows(download(client, clinic.cast.lead, table="aggregate"))
    assert {"muscle", "agent", "session", "clinician"} <= {row["dimension"] for row in rows}
    assert {row[name] for row in rows for name in ("patients", "sessions")} == {"<11"}
    responses = ("assessed_6w", "responders30_6w", "responders50_6w")
    assert {row[name] for row in rows for name in responses} <= {"<11", "0"}  # 0 is no cell
    assert all(row["value"].startswith("C-") for row in rows if row["dimension"] == "clinician")


@pytest.mark.parametrize("table", ["sessions", "followups", "aggregate"])
def test_it_writes_the_same_rows_in_parquet_as_in_csv(clinic, table):
    export = ResearchExport(
        clinic=clinic.cast.clinic,
        patients=patients_for_user(clinic.cast.lead, need=Need.EXPORT_RESEARCH),
        key=KEY,
    )
    as_csv = csv_rows(b"".join(c.encode() for c in csv_chunks(export.rows(table), TABLES[table])))
    as_parquet = parquet_rows(b"".join(parquet_chunks(export.rows(table), TABLES[table])))
    assert as_csv and as_parquet == as_csv


def test_it_limits_sessions_to_the_period(client, clinic):
    day = SessionOutcome.objects.filter(clinic=clinic.cast.clinic).first().day
    before = day.replace(year=day.year - 1)
    assert csv_rows(download(client, clinic.cast.lead, end=before.isoformat())) == []
    assert len(csv_rows(download(client, clinic.cast.lead, start=day.isoformat()))) == 2


def test_it_gives_another_clinics_lead_their_own_clinic_only(client, clinic):
    rows = csv_rows(download(client, clinic.other_lead))
    assert len(rows) == 1 and rows[0]["sex"] == "female"
    text = download(client, clinic.other_lead, table="followups").decode()
    assert len(csv_rows(text.encode())) == 0


def test_it_records_one_audit_event_per_export_with_its_counts(client, clinic):
    before = AuditEvent.objects.filter(action=Action.EXPORT).count()
    download(client, clinic.cast.lead, table="followups", format="parquet")
    events = AuditEvent.objects.filter(action=Action.EXPORT).order_by("pk")
    assert events.count() == before + 1
    event = events.last()
    assert event.object_type == "research_export" and event.clinic_id == clinic.cast.clinic.pk
    assert event.actor_id == clinic.cast.lead.pk and event.patient_id is None
    assert event.details | {"rule_version": ""} == {
        "table": "followups", "format": "parquet", "rows": 1, "patients": 1,
        "from": "", "to": "", "rule_version": "",
    }  # fmt: skip


@pytest.mark.parametrize("role", ["clinician", "nurse", "front_desk", "outsider"])
def test_it_refuses_every_role_but_the_clinic_lead(client, clinic, role):
    sign_in(client, clinic.cast.staff()[role])
    assert client.get(URL).status_code == 403
    assert client.get(DOWNLOAD, {"table": "sessions", "format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_it_sends_anonymous_visitors_to_sign_in(client, clinic):
    for url in (URL, DOWNLOAD):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_it_shows_the_lead_what_is_and_is_not_in_the_export(client, clinic):
    sign_in(client, clinic.cast.lead)
    response = client.get(URL)
    assert response.status_code == 200
    assert (
        b"Safe Harbor" in response.content
        and b'1 to 10 patients reads "&lt;11"' in response.content
    )
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize(
    "params",
    [
        {"table": "patients", "format": "csv"},
        {"table": "sessions", "format": "xlsx"},
        {"table": "sessions", "format": "csv", "start": "2026-05-02", "end": "2026-05-01"},
        {"table": "sessions", "format": "csv", "start": "not a date"},
    ],
)
def test_it_refuses_bad_input_and_exports_nothing(client, clinic, params):
    sign_in(client, clinic.cast.lead)
    response = client.get(DOWNLOAD, params)
    assert response.status_code == 400
    assert b'class="error"' in response.content
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_it_asks_for_the_password_again_after_a_while(client, clinic):
    sign_in(client, clinic.cast.lead)
    session = client.session
    session["taut_authenticated"] = 0
    session.save()
    response = client.get(DOWNLOAD, {"table": "sessions", "format": "csv"})
    assert response.status_code == 302 and reverse("accounts:reauth") in response["Location"]
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize(
    ("table", "queries"), [("sessions", 2), ("followups", 1), ("aggregate", 1)]
)
def test_it_reads_each_table_in_a_few_queries_a_chunk(
    clinic, django_assert_num_queries, table, queries
):
    """Sessions: the outcomes and, per chunk of 1,000, their facets; the others one query."""
    export = ResearchExport(
        clinic=clinic.cast.clinic,
        patients=patients_for_user(clinic.cast.lead, need=Need.EXPORT_RESEARCH),
    )
    with django_assert_num_queries(queries):
        assert list(export.rows(table))
