"""A visit at the edge of a clinic's day is on that day's list and calendar, and on no other,
in the first time zone of the day (UTC+14) and the last (UTC-11): the lists filter a range
of instants (``taut.lib.dates.day_bounds``), not dates in the server's time zone."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from taut.accounts import services as accounts
from taut.tests.cast import acting
from taut.visits import calendar, queries
from taut.workflows import booking

DAY = date(2026, 3, 2)  # a Monday
EDGES = {
    "sunday_last": (DAY - timedelta(days=1), time(23, 59)),
    "first": (DAY, time(0, 0)),
    "last": (DAY, time(23, 59)),
    "tuesday_first": (DAY + timedelta(days=1), time(0, 0)),
}


@pytest.fixture(params=["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def edges(request, cast):
    """The cast's clinic on ``zone``'s clock with a visit of its clinician at each edge of
    ``DAY`` (booked over each other on purpose: a minute apart)."""
    zone = ZoneInfo(request.param)
    accounts.update_clinic_settings(
        clinic=cast.clinic, version=cast.clinic.version, data={"time_zone": request.param},
        actor=acting(cast.lead),
    )  # fmt: skip
    cast.clinic.refresh_from_db()
    booked_on = datetime(2026, 2, 1, 9, 0, tzinfo=zone)
    visits = {}
    for name, (day, at) in EDGES.items():
        visits[name] = booking.book_visit(
            patient=cast.patient, scheduled_for=datetime.combine(day, at, tzinfo=zone),
            clinician=cast.clinician, override=True, actor=acting(cast.front_desk, now=booked_on),
        )  # fmt: skip
    return cast, zone, visits


def named(visits, found):
    by_pk = {visit.pk: name for name, visit in visits.items()}
    return [by_pk[visit.pk] for visit in found]


def test_the_day_list_holds_the_visits_from_midnight_to_a_minute_to_midnight(edges):
    cast, _, visits = edges
    assert named(visits, queries.visits_for_day(cast.clinic, DAY)) == ["first", "last"]
    monday = queries.visits_for_day(cast.clinic, DAY - timedelta(days=1))
    assert named(visits, monday) == ["sunday_last"]
    tuesday = queries.visits_for_day(cast.clinic, DAY + timedelta(days=1))
    assert named(visits, tuesday) == ["tuesday_first"]


def test_the_calendars_hold_the_same_visits(edges):
    cast, _, visits = edges
    day = calendar.booked_between(cast.clinic, DAY, DAY + timedelta(days=1), clinicians=[])
    assert named(visits, day) == ["first", "last"]
    week = calendar.booked_between(cast.clinic, DAY, DAY + timedelta(days=7), clinicians=[])
    assert named(visits, week) == ["first", "last", "tuesday_first"]


@pytest.mark.parametrize(
    ("clock", "expected"),
    [(time(23, 59), ["first", "last"]), (time(0, 0), ["first", "last"])],
)
def test_the_day_list_page_shows_the_clinics_today_at_its_edges(
    client, signed_in, edges, clock, expected
):
    """Today's list at 00:00 and at 23:59 on the clinic's clock, whatever the server's."""
    cast, zone, visits = edges
    with time_machine.travel(datetime.combine(DAY, clock, tzinfo=zone), tick=False):
        signed_in(cast.front_desk)
        response = client.get(reverse("visits:day_list"))
        assert response.context["day"] == DAY
        assert named(visits, response.context["visits"]) == expected
        schedule = client.get(reverse("visits:calendar"))
    shown = [v for row in schedule.context["rows"] for cell in row.cells for v in cell.visits]
    assert sorted(named(visits, shown)) == ["first", "last"]
