"""Every staff list page and list section, in one table: each shows a bounded page of rows
(paged or capped, ordered by an index), runs the same number of queries with 2 rows as with
30, and runs at most ``MAX_QUERIES``.

Rows are made with ``bulk_create`` (or the cheapest real service where a page reads what
only a service writes), so the table stays fast. Each app's ``test_query_counts.py`` guards
its pages with richer records made through the services; this table is the inventory that
says every list page is here. The patient finder and the audit log are guarded by their own
apps' tests."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.core.paginator import Page
from django.urls import reverse
from django.utils import timezone

from taut.accounts.roles import Role
from taut.aftercare.models import Alert, CheckIn
from taut.clinical import checkins
from taut.drawings.models import PainDrawing
from taut.outcomes.models import NextStepDue
from taut.outcomes.tests.test_worklist_section import patient, signed_days_ago
from taut.patients.models import Allergy, Condition, Measurement, Medication, Patient
from taut.public.models import AppointmentRequest
from taut.reminders.models import Reminder
from taut.tests.cast import Cast, make_patient, make_staff
from taut.tests.query_counts import MAX_QUERIES, queries_to_get
from taut.visits.models import Visit
from taut.workflows.pages import CHART_SECTIONS, WORKLIST_SECTIONS

# The worklist with its two htmx sections: three requests (see the test at the end). The
# top bar's count of appointment requests to call back is one query of the page (issue 14).
WHOLE_WORKLIST_QUERIES = 25
FEW, MANY = 2, 30


def _visits(cast: Cast, start: int, count: int, *, days_ago: int = 0) -> list[Visit]:
    now = timezone.now()
    return Visit.objects.bulk_create(
        Visit(
            patient=cast.patient,
            scheduled_for=now - timedelta(days=days_ago, hours=number),
            clinician=cast.clinician,
            state=Visit.State.SIGNED,
            recorded_at=now,
            updated_at=now,
        )
        for number in range(start, start + count)
    )


def sessions(cast: Cast, start: int, count: int) -> None:
    """``count`` sessions of the cast's patient, each with a check-in due today, one overdue
    and an open alert raised by the overdue one."""
    today = cast.clinic.today()
    overdue = checkins.overdue_before(today=today) - timedelta(days=1)
    now = timezone.now()
    made = []
    for visit in _visits(cast, start, count, days_ago=10):
        for key, due_on in (("due", today), ("late", overdue)):
            made.append(
                CheckIn(
                    visit=visit,
                    patient=cast.patient,
                    checkpoint=key,
                    offset_days=1,
                    label="Day 1",
                    due_on=due_on,
                )
            )
    made = CheckIn.objects.bulk_create(made)
    Alert.objects.bulk_create(
        Alert(
            patient=cast.patient,
            checkin=checkin,
            visit=checkin.visit,
            code="infection",
            severity=Alert.Severity.SOON,
            text="Signs of a wound infection.",
            raised_at=now,
        )
        for checkin in made
        if checkin.checkpoint == "late"
    )


def visits(cast: Cast, start: int, count: int) -> None:
    _visits(cast, start, count)


def day_visits(cast: Cast, start: int, count: int) -> None:
    """Visits booked on the clinic's today, every 15 minutes from 07:00 (numbered from
    ``start``), with the cast's clinician."""
    now = timezone.now()
    zone = cast.clinic.zone()
    first = datetime.combine(cast.clinic.today(), time(7), tzinfo=zone)
    Visit.objects.bulk_create(
        Visit(
            patient=cast.patient,
            scheduled_for=first + timedelta(minutes=15 * number),
            clinician=cast.clinician,
            recorded_at=now,
            updated_at=now,
        )
        for number in range(start, start + count)
    )


def drawings(cast: Cast, start: int, count: int) -> None:
    now = timezone.now()
    PainDrawing.objects.bulk_create(
        PainDrawing(
            patient=cast.patient,
            recorded_at=now - timedelta(hours=number),
            recorded_by=cast.nurse,
            atlas_version="test",
            no_pain=True,
        )
        for number in range(start, start + count)
    )


def chart_entries(cast: Cast, start: int, count: int) -> None:
    """Weights and retired allergies, medicines and conditions (the current ones are all
    shown, however many: a clinician must see every allergy)."""
    now = timezone.now()
    common = {"patient": cast.patient, "recorded_at": now, "recorded_by": cast.nurse}
    for number in range(start, start + count):
        Allergy.objects.create(**common, agent=f"Agent {number}", reaction="Hives", active=False)
        Medication.objects.create(**common, name=f"Drug {number}", active=False)
        Condition.objects.create(**common, name=f"Condition {number}", active=False)
        Measurement.objects.create(
            **common, weight_kg=70, measured_on=now.date() - timedelta(days=number)
        )


def unsent(cast: Cast, start: int, count: int) -> None:
    now = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(
            key=f"test:{number}",
            kind=Reminder.Kind.PASSWORD,
            patient=cast.patient,
            clinic=cast.clinic,
            status=Reminder.Status.FAILED,
            send_after=now,
            attempts=5,
            last_error="SMTPServerDisconnected",
        )
        for number in range(start, start + count)
    )


def next_steps_due(cast: Cast, start: int, count: int) -> None:
    """The first rows: patients with a session signed 90 days ago through the real
    services (follow-up over, no decision: due); the rest stored due days of patients
    made in bulk, due later, so the signed ones lead the first page. (Stored rows whose
    advice cannot be worked out are left off the page, as stale ones are: the queries are
    the same.)"""
    real = min(count, max(0, FEW - start))
    for number in range(start, start + real):
        signed_days_ago(patient(cast, f"N{number:04d}", f"Due{number}"), cast.clinician, 90)
    if count > real:
        due_from = cast.clinic.today() - timedelta(days=1)
        now = timezone.now()
        made = Patient.objects.bulk_create(
            Patient(
                clinic=cast.clinic,
                mrn=f"B{number:04d}",
                given_name="Bulk",
                family_name=f"Patient{number}",
                date_of_birth=date(1970, 1, 1),
            )
            for number in range(start + real, start + count)
        )
        NextStepDue.objects.bulk_create(
            NextStepDue(
                patient=someone,
                clinic=cast.clinic,
                due_from=due_from,
                rule_version="test",
                computed_at=now,
            )
            for someone in made
        )


def requests(cast: Cast, start: int, count: int) -> None:
    """Open appointment requests from the public page, received an hour apart."""
    now = timezone.now()
    AppointmentRequest.objects.bulk_create(
        AppointmentRequest(
            clinic=cast.clinic,
            given_name="Request",
            family_name=f"Sender{number}",
            date_of_birth=date(1980, 1, 1),
            phone="555 010 0000",
            created_at=now - timedelta(hours=number),
            expires_at=now + timedelta(days=14),
        )
        for number in range(start, start + count)
    )


def patients(cast: Cast, start: int, count: int) -> None:
    for number in range(start, start + count):
        make_patient(cast.clinic, cast.front_desk, mrn=f"T{number + 2:04d}")


def staff(cast: Cast, start: int, count: int) -> None:
    for number in range(start, start + count):
        make_staff(cast.clinic, f"nurse{number}", Role.NURSE, "More", f"Nurse{number}")


def _rows(context, rows: str) -> list:
    """The rows ``context`` holds at ``rows`` ("links.checkins": an attribute)."""
    name, *attributes = rows.split(".")
    value = context[name]
    for attribute in attributes:
        value = getattr(value, attribute)
    return list(value.object_list if isinstance(value, Page) else value)


def _length(context, rows: str) -> int:
    return len(_rows(context, rows))


def _identity(row) -> int:
    """The record a row shows (a session's rows are (visit, check-ins))."""
    return row[0].pk if isinstance(row, tuple) else row.pk


@dataclass(frozen=True)
class ListPage:
    name: str  # the URL name
    viewer: str  # who looks (a role of the cast)
    add: Callable[[Cast, int, int], None]  # add(cast, start, count): rows numbered from start
    rows: str  # where the page's context holds the rows it shows
    most: int  # the most rows it shows at once
    patient: bool = False  # the URL takes the cast's patient
    htmx: bool = False  # also loaded as a card or section with htmx
    paged: bool = False  # the rest on ``?page=2`` and on (else capped)

    def url(self, cast: Cast) -> str:
        return reverse(self.name, args=[cast.patient.public_id] if self.patient else [])


LIST_PAGES = [
    # The worklist and its sections (open alerts, then due and overdue check-ins, each paged)
    ListPage("aftercare:worklist", "nurse", sessions, "alerts", 15),
    ListPage("outcomes:worklist_section", "nurse", next_steps_due, "rows", 15, htmx=True),
    ListPage("reminders:worklist_section", "nurse", unsent, "rows", 15, htmx=True, paged=True),
    # Clinic lists
    ListPage("patients:list", "front_desk", patients, "page", 25, paged=True),
    ListPage("accounts:staff_list", "lead", staff, "staff", 25, paged=True),
    # Appointment requests to call back: their list and the day list's section (issue 14)
    ListPage("public:request_list", "front_desk", requests, "rows", 15, paged=True),
    ListPage("public:day_list_section", "front_desk", requests, "rows", 15, htmx=True),
    # The day: its list and printed sheets (a page of 25 visits each), and the schedule
    # (a page of clinicians, its visits read up to a cap).
    ListPage("visits:day_list", "clinician", day_visits, "visits", 25, paged=True),
    ListPage("visits:day_print", "front_desk", day_visits, "visits", 25, paged=True),
    ListPage("visits:calendar", "front_desk", day_visits, "visits", 300),
    # The chart and its histories
    ListPage("patients:chart", "nurse", chart_entries, "measurements", 5, patient=True),
    ListPage(
        "visits:chart_section",
        "clinician",
        visits,
        "visits",
        10,
        patient=True,
        htmx=True,
        paged=True,
    ),
    ListPage(
        "drawings:chart_section",
        "clinician",
        drawings,
        "drawings",
        10,
        patient=True,
        htmx=True,
        paged=True,
    ),
    ListPage("drawings:compare", "clinician", drawings, "drawings", 50, patient=True),
    ListPage(
        "aftercare:chart_section",
        "nurse",
        sessions,
        "sessions",
        10,
        patient=True,
        htmx=True,
        paged=True,
    ),
    ListPage(
        "portal:chart_section", "clinician", sessions, "links.checkins", 20, patient=True, htmx=True
    ),
]


@pytest.mark.parametrize("page", LIST_PAGES, ids=lambda page: page.name)
def test_it_shows_a_bounded_page_in_the_same_few_queries_however_many_rows(
    client, cast, signed_in, page
):
    signed_in(getattr(cast, page.viewer))
    url = page.url(cast)
    ways = (False, True) if page.htmx else (False,)
    page.add(cast, 0, FEW)
    few = [len(queries_to_get(client, url, htmx=htmx)) for htmx in ways]
    page.add(cast, FEW, MANY - FEW)
    more = [queries_to_get(client, url, htmx=htmx) for htmx in ways]
    assert [len(queries) for queries in more] == few, more
    assert max(few) <= MAX_QUERIES, more
    shown = _length(client.get(url).context, page.rows)
    assert 0 < shown <= page.most


@pytest.mark.parametrize(
    "page", [page for page in LIST_PAGES if page.paged], ids=lambda page: page.name
)
def test_it_shows_the_next_rows_on_the_next_page(client, cast, signed_in, page):
    signed_in(getattr(cast, page.viewer))
    url = page.url(cast)
    page.add(cast, 0, MANY)
    first = client.get(url)
    assert _length(first.context, page.rows) == page.most
    assert "page=2" in first.content.decode()
    second = _rows(client.get(url, {"page": "2"}).context, page.rows)
    shown = {_identity(row) for row in _rows(first.context, page.rows)}
    assert second and not shown & {_identity(row) for row in second}


@pytest.mark.parametrize(
    "name, add, rows, moment",
    [
        ("visits:chart_section", visits, "visits", lambda visit: visit.scheduled_for),
        ("drawings:chart_section", drawings, "drawings", lambda drawing: drawing.recorded_at),
        ("aftercare:chart_section", sessions, "sessions", lambda row: row[0].scheduled_for),
    ],
    ids=["visits", "drawings", "follow-up"],
)
def test_it_shows_a_patients_history_newest_first(client, cast, signed_in, name, add, rows, moment):
    signed_in(cast.clinician)
    add(cast, 0, 15)
    url = reverse(name, args=[cast.patient.public_id])
    shown = [
        *_rows(client.get(url).context, rows),
        *_rows(client.get(url, {"page": 2}).context, rows),
    ]
    assert len(shown) == 15
    assert [moment(row) for row in shown] == sorted(map(moment, shown), reverse=True)


# Chart cards that read a patient's whole history on purpose (not paged), each guarded by
# its app's test_query_counts.py, which also holds it to MAX_QUERIES.
WHOLE_HISTORY = {
    # Pain and PEG over every session and the advice, which reads every session.
    "outcomes:chart_section": "taut/outcomes/tests/test_query_counts.py",
}


def test_it_lists_every_list_page_in_the_table():
    """A new list section on the chart or the worklist joins the table above."""
    listed = {page.name for page in LIST_PAGES} | set(WHOLE_HISTORY)
    sections = [name for _, name in CHART_SECTIONS + WORKLIST_SECTIONS]
    assert not set(sections) - listed


def test_it_shows_the_whole_worklist_in_the_same_queries_however_many_rows(client, cast, signed_in):
    """The worklist page and the two sections it loads with htmx: three requests, each
    with its own session, user and clinic reads (and an audit event for each section), so
    together they run more than MAX_QUERIES; the sum stays the same however many rows."""

    def whole():
        requests = [("aftercare:worklist", False)] + [(n, True) for _, n in WORKLIST_SECTIONS]
        return [len(queries_to_get(client, reverse(n), htmx=htmx)) for n, htmx in requests]

    signed_in(cast.nurse)
    for add in (sessions, next_steps_due, unsent):
        add(cast, 0, FEW)
    few = whole()
    for add in (sessions, next_steps_due, unsent):
        add(cast, FEW, MANY - FEW)
    assert whole() == few
    assert max(few) <= MAX_QUERIES and sum(few) <= WHOLE_WORKLIST_QUERIES, few
    chase = client.get(reverse("aftercare:worklist")).context["chase"]
    # (The sessions signed for "Next step due" add overdue check-ins of their own.)
    assert all(p.paginator.count >= MANY and len(p.object_list) == 15 for p in chase.values())
