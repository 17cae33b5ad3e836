"""The schedule over HTTP: every role that books lands on a page it may see after each write
(never a success message beside a refusal); outsiders 404; anonymous to login; bad input,
double bookings and stale forms refused with a message; the day list moves between days,
filters by clinician and prints."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from taut.reminders.models import Reminder
from taut.tests.cast import acting
from taut.visits.models import Visit
from taut.workflows import booking

# The cases give times in UTC; CI moves the deployment's zone, which the cast's clinic keeps.
pytestmark = pytest.mark.usefixtures("clinic_clock_in_utc")


UTC = ZoneInfo("UTC")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REFUSAL = "Not allowed for your role"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def url(name, visit):
    return reverse(name, args=[visit.patient.public_id, visit.public_id])


def book(cast, when=NINE, **extra):
    extra.setdefault("clinician", cast.clinician)
    return booking.book_visit(
        patient=cast.patient, scheduled_for=when, actor=acting(cast.front_desk), **extra
    )


@pytest.mark.parametrize("role", ["front_desk", "nurse", "clinician", "lead"])
def test_it_lands_every_booking_role_on_a_page_it_may_see_after_each_write(
    client, cast, signed_in, clock, role
):
    """Book from the chart, move, check in from the day list, cancel: each redirect renders
    200 with its success message and no refusal."""
    signed_in(cast.staff()[role])

    def follow(path, data, message):
        response = client.post(path, data, follow=True)
        page = response.content.decode()
        assert response.status_code == 200, page
        assert message in page and REFUSAL not in page

    new = reverse("visits:schedule", args=[cast.patient.public_id])
    data = {"kind": "repeat_session", "scheduled_for": "2026-03-02T09:00",
            "clinician": cast.clinician.pk}  # fmt: skip
    follow(new, data, "Visit scheduled. It is on Monday 2 March at 09:00.")
    visit = Visit.objects.get()
    follow(url("visits:arrival", visit),
           {"version": visit.version, "arrival": "waiting", "back": "day"},
           "Quillbrook, Ada checked in: waiting.")  # fmt: skip
    visit.refresh_from_db()
    follow(url("visits:arrival", visit), {"version": visit.version, "arrival": "expected"},
           "Check-in undone")  # fmt: skip
    visit.refresh_from_db()
    follow(url("visits:move", visit),
           {"move-version": visit.version, "move-scheduled_for": "2026-03-03T10:00",
            "move-clinician": cast.clinician.pk, "move-duration_minutes": 30},
           "Visit moved to Tuesday 3 March at 10:00.")  # fmt: skip
    visit.refresh_from_db()
    follow(url("visits:cancel", visit),
           {"cancel-version": visit.version, "cancel-reason": "Patient called"},
           "Visit cancelled.")  # fmt: skip
    kinds = set(Reminder.objects.filter(visit=visit).values_list("kind", flat=True))
    assert kinds == {"intake", "moved", "cancelled"}


def test_it_shows_front_desk_the_visits_card_with_a_booking_link_and_no_clinical_links(
    client, cast, signed_in, clock
):
    visit = book(cast)
    signed_in(cast.front_desk)
    chart = client.get(reverse("patients:chart", args=[cast.patient.public_id])).content.decode()
    section = reverse("visits:chart_section", args=[cast.patient.public_id])
    assert section in chart
    card = client.get(section, headers={"HX-Request": "true"}).content.decode()
    assert reverse("visits:schedule", args=[cast.patient.public_id]) in card
    assert url("visits:booking", visit) in card
    assert f'href="{url("visits:detail", visit)}"' not in card


def test_it_refuses_a_double_booking_on_the_form_until_overridden(client, cast, signed_in, clock):
    book(cast, kind=Visit.Kind.NEW_ASSESSMENT)
    signed_in(cast.front_desk)
    new = reverse("visits:schedule", args=[cast.patient.public_id])
    data = {
        "kind": "follow_up",
        "scheduled_for": "2026-03-02T09:15",
        "clinician": cast.clinician.pk,
    }
    response = client.post(new, data)
    assert response.status_code == 400
    assert "already has a visit from 09:00 to 09:45" in response.content.decode()
    assert Visit.objects.count() == 1
    assert client.post(new, {**data, "override": "on"}).status_code == 302
    assert Visit.objects.filter(double_booked=True).count() == 1


def test_it_rerenders_bad_input_and_saves_nothing(client, cast, signed_in, clock):
    visit = book(cast)
    signed_in(cast.nurse)
    new = reverse("visits:schedule", args=[cast.patient.public_id])
    assert client.post(new, {"kind": "follow_up", "scheduled_for": "soon"}).status_code == 400
    response = client.post(url("visits:cancel", visit), {"cancel-version": visit.version})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert Visit.objects.get().state == "scheduled" and Visit.objects.count() == 1


def test_it_refuses_a_stale_form_with_who_changed_what(client, cast, signed_in, clock):
    visit = book(cast)
    stale = visit.version
    booking.cancel_visit(visit=visit, version=stale, reason="Clinician away",
                         actor=acting(cast.nurse))  # fmt: skip
    signed_in(cast.front_desk)
    visit.refresh_from_db()
    data = {"move-version": stale, "move-scheduled_for": "2026-03-03T10:00",
            "move-duration_minutes": 30}  # fmt: skip
    response = client.post(url("visits:move", visit), data)
    assert response.status_code == 400 and "closed" in response.content.decode()
    other = book(cast, when=NINE + timedelta(hours=3))
    opened = other.version
    booking.move_visit(visit=other, version=opened, scheduled_for=NINE + timedelta(hours=4),
                       clinician=cast.clinician, duration_minutes=30, actor=acting(cast.nurse))  # fmt: skip
    response = client.post(url("visits:cancel", other),
                           {"cancel-version": opened, "cancel-reason": "x"})  # fmt: skip
    assert response.status_code == 409
    assert "nurse changed moved to" in response.content.decode()


def test_it_hides_bookings_from_outsiders_and_sends_anonymous_to_login(
    client, cast, signed_in, clock
):
    visit = book(cast)
    assert client.get(url("visits:booking", visit)).status_code == 302
    assert client.get(reverse("visits:calendar")).status_code == 302
    signed_in(cast.outsider)
    assert client.get(url("visits:booking", visit)).status_code == 404
    response = client.post(url("visits:arrival", visit), {"version": 1, "arrival": "waiting"})
    assert response.status_code == 404
    day = client.get(reverse("visits:day_list") + "?date=2026-03-02").content.decode()
    assert "Quillbrook, Ada" not in day


def test_it_moves_the_day_list_between_days_filters_by_clinician_and_prints(
    client, cast, signed_in, clock
):
    book(cast)
    book(cast, when=NINE + timedelta(days=1), clinician=None)
    signed_in(cast.front_desk)
    day_list = reverse("visits:day_list")
    today = client.get(day_list).content.decode()
    assert "Quillbrook, Ada" in today and "?date=2026-03-03" in today and "Check in" in today
    tomorrow = client.get(day_list + "?date=2026-03-03").content.decode()
    assert "Tuesday 3 March 2026" in tomorrow and "Check in" not in tomorrow
    filtered = client.get(f"{day_list}?date=2026-03-03&clinician={cast.clinician.public_id}")
    assert "No visits on this day for Casey Clinician" in filtered.content.decode()
    printed = client.get(reverse("visits:day_print") + "?date=2026-03-02").content.decode()
    assert "Test Clinic: Monday 2 March 2026" in printed and "data-print" in printed
    assert client.get(day_list + "?date=not-a-day").status_code == 200  # falls back to today


def test_it_shows_the_day_and_week_on_the_clinics_grid_and_books_from_a_slot(
    client, cast, signed_in, clock
):
    book(cast, kind=Visit.Kind.REPEAT_SESSION)
    signed_in(cast.front_desk)
    calendar = reverse("visits:calendar")
    day = client.get(calendar + "?date=2026-03-02").content.decode()
    rows = day.count('<th scope="row">')
    assert rows == 36 and '<th scope="row">16:45' in day  # 08:00 to 17:00 in 15 minutes
    assert "Quillbrook, Ada" in day and "Repeat TPI session, 30 min" in day
    assert reverse("visits:find_patient") + "?at=2026-03-02T10%3A00%3A00%2B00%3A00" in day
    week = client.get(f"{calendar}?view=week&date=2026-03-04&clinician={cast.clinician.public_id}")
    assert "week of 2 March 2026" in week.content.decode()
    found = client.post(reverse("visits:find_patient") + "?at=2026-03-02T10:00:00%2B00:00",
                        {"q": "Quill"}).content.decode()  # fmt: skip
    assert "Book for Quillbrook, Ada" in found
    form = client.get(reverse("visits:schedule", args=[cast.patient.public_id])
                      + "?at=2026-03-02T10:00:00%2B00:00"
                      + f"&clinician={cast.clinician.public_id}").content.decode()  # fmt: skip
    assert 'value="2026-03-02T10:00"' in form
