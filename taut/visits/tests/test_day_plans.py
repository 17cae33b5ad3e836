"""The day list and the calendars read a day's visits from the ``scheduled_for`` index on
both databases (or, for chosen clinicians, the (clinician, scheduled_for) one): with a few
thousand visits and the planner's statistics, their queries are ranges on that index
(``taut.lib.dates.day_bounds``) and never read the visits table whole, as a
``scheduled_for__date`` filter made PostgreSQL do."""

from datetime import UTC, date, datetime, timedelta

from taut.patients.models import Patient
from taut.tests.once import built_once_per_module
from taut.tests.plans import analyze, index_named, plan, reads_whole, uses_index
from taut.visits import calendar, queries
from taut.visits.models import Visit

DAY = date(2026, 3, 2)  # a Monday
DAYS = 120
PATIENTS = 100
TABLE = Visit._meta.db_table
INDEX = index_named(Visit, "scheduled_for")
BY_CLINICIAN = index_named(Visit, "clinician", "scheduled_for")


def build_schedule(cast):
    """``PATIENTS`` patients with a dozen visits a day over ``DAYS`` days around ``DAY``
    (bulk-inserted), and statistics for the planner."""
    Patient.objects.bulk_create(
        Patient(clinic=cast.clinic, mrn=f"V{n:04d}", given_name="Ada", family_name=f"Vee{n}",
                date_of_birth=date(1970, 1, 1), sex="female")
        for n in range(PATIENTS)
    )  # fmt: skip
    patients = list(Patient.objects.filter(mrn__startswith="V"))
    first = datetime.combine(DAY - timedelta(days=DAYS // 2), datetime.min.time(), tzinfo=UTC)
    Visit.objects.bulk_create(
        Visit(patient=patients[n % PATIENTS], clinician=cast.clinician,
              scheduled_for=first + timedelta(days=n // 12, hours=8 + n % 12),
              recorded_at=first, updated_at=first)
        for n in range(DAYS * 12)
    )  # fmt: skip
    analyze(Patient, Visit)
    return cast


schedule, _schedule_once = built_once_per_module(build_schedule, name="schedule")


def assert_reads_the_index(queryset, *, clinicians=False):
    explained = plan(queryset)
    indexes = (INDEX, BY_CLINICIAN) if clinicians else (INDEX,)
    assert any(uses_index(explained, index) for index in indexes), explained
    assert not reads_whole(explained, TABLE), explained


def test_the_day_list_reads_its_day_from_the_scheduled_for_index(schedule):
    assert_reads_the_index(queries.visits_for_day(schedule.clinic, DAY))
    assert_reads_the_index(
        queries.visits_for_day(schedule.clinic, DAY, clinician=schedule.clinician),
        clinicians=True,
    )


def test_the_calendars_read_their_days_from_the_scheduled_for_index(schedule):
    clinic, clinicians = schedule.clinic, [schedule.clinician]
    day = calendar.booked_between(clinic, DAY, DAY + timedelta(days=1), clinicians=clinicians)
    assert_reads_the_index(day, clinicians=True)
    week = calendar.booked_between(clinic, DAY, DAY + timedelta(days=7), clinicians=[])
    assert_reads_the_index(week)


def test_the_plans_are_of_queries_that_find_the_days_visits(schedule):
    assert len(queries.visits_for_day(schedule.clinic, DAY)) == 12
    week = calendar.booked_between(schedule.clinic, DAY, DAY + timedelta(days=7), clinicians=[])
    assert len(week) == 7 * 12
