"""The day list, its printed sheets and the schedule show a bounded page: the day list 25
visits a page in time order, its counts always the whole day's; the printed sheets say
which of how many they are and what the others hold; the schedule's day view shows six
clinicians a page, each column headed by its count, and says when a page holds more visits
than it reads. A page that is not there shows a clear page, never an error."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from taut.accounts.roles import Role
from taut.tests.cast import make_staff
from taut.visits import calendar
from taut.visits.models import Visit
from taut.visits.views.visit import DAY_PAGE_SIZE

pytestmark = pytest.mark.usefixtures("clinic_clock_in_utc")

UTC = ZoneInfo("UTC")
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # a Monday, before opening
DAY = "2026-03-02"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def book(cast, count, *, clinician=None, every=timedelta(minutes=15), state=None):
    """``count`` visits of the cast's patient from 08:00 on the day, ``every`` apart."""
    first = datetime.combine(NOW.date(), time(8), tzinfo=UTC)
    return Visit.objects.bulk_create(
        Visit(
            patient=cast.patient,
            scheduled_for=first + every * number,
            clinician=clinician or cast.clinician,
            state=state or Visit.State.SCHEDULED,
            recorded_at=NOW,
            updated_at=NOW,
        )
        for number in range(count)
    )


def day_list(client, **query):
    return client.get(reverse("visits:day_list"), {"date": DAY, **query})


@pytest.mark.parametrize(
    "visits, pages, last", [(0, 1, 0), (1, 1, 1), (25, 1, 25), (26, 2, 1), (50, 2, 25)]
)
def test_it_pages_the_day_at_its_boundaries(client, cast, signed_in, clock, visits, pages, last):
    book(cast, visits)
    signed_in(cast.front_desk)
    response = day_list(client, page=pages)
    page = response.context["page"]
    assert page.paginator.num_pages == pages and len(response.context["visits"]) == last
    assert response.context["counts"]["booked"] == visits  # the whole day's, on every page
    assert response.context["page_notice"] == ""
    body = response.content.decode()
    assert ("page=2" in body) == (pages > 1)
    if not visits:
        assert "No visits on this day" in body


def test_it_shows_the_day_in_time_order_without_overlap_between_pages(
    client, cast, signed_in, clock
):
    made = book(cast, 30, every=timedelta(minutes=-10))  # booked latest first
    book(cast, 3)  # three at the same times as others: ties are ordered by id
    signed_in(cast.front_desk)
    shown = [*day_list(client).context["visits"], *day_list(client, page=2).context["visits"]]
    assert len(shown) == 33 == len({v.pk for v in shown})
    assert [(v.scheduled_for, v.pk) for v in shown] == sorted(
        (v.scheduled_for, v.pk) for v in shown
    )
    assert min(v.scheduled_for for v in made) == shown[0].scheduled_for


@pytest.mark.parametrize(
    "asked, shown, notice",
    [
        ("7", 2, "There is no page 7: the last is page 2."),
        ("0", 1, "There is no page 0: this is page 1."),
        ("-3", 1, "There is no page -3: this is page 1."),
        ("two", 1, "There is no page “two”: this is page 1."),
        ("", 1, ""),
    ],
)
def test_it_shows_a_clear_page_for_a_page_that_is_not_there(
    client, cast, signed_in, clock, asked, shown, notice
):
    book(cast, 30)
    signed_in(cast.front_desk)
    for name in ("visits:day_list", "visits:day_print"):
        response = client.get(reverse(name), {"date": DAY, "page": asked})
        assert response.status_code == 200
        assert response.context["page"].number == shown
        assert response.context["page_notice"] == notice
        if notice:
            assert notice in response.content.decode()


def test_it_counts_the_whole_day_on_a_page_of_it(client, cast, signed_in, clock):
    book(cast, 20)
    book(cast, 10, state=Visit.State.CANCELLED)
    waiting = book(cast, 4)
    Visit.objects.filter(pk__in=[v.pk for v in waiting]).update(arrival=Visit.Arrival.WAITING)
    signed_in(cast.front_desk)
    counts = day_list(client, page=2).context["counts"]
    assert counts == {"total": 34, "booked": 24, "cancelled": 10, "arrived": 4, "waiting": 4}


def test_it_filters_the_day_by_clinician_and_offers_a_clinician_their_own(
    client, cast, signed_in, clock
):
    other = make_staff(cast.clinic, "second", Role.CLINICIAN, "Kim", "Other")
    book(cast, 30, clinician=other)
    book(cast, 3)
    signed_in(cast.clinician)
    whole = day_list(client)
    assert whole.context["page"].paginator.count == 33 and "mine=1" in whole.content.decode()
    mine = day_list(client, mine="1")
    assert [v.clinician_id for v in mine.context["visits"]] == [cast.clinician.pk] * 3
    assert mine.context["page"].paginator.num_pages == 1 and "mine=1" not in mine.content.decode()
    signed_in(cast.front_desk)
    assert "mine=1" not in day_list(client).content.decode()


def test_it_prints_every_sheet_saying_which_it_is_and_what_the_others_hold(
    client, cast, signed_in, clock
):
    other = make_staff(cast.clinic, "second", Role.CLINICIAN, "Kim", "Other")
    book(cast, 20)
    book(cast, 20, clinician=other, every=timedelta(minutes=10))
    signed_in(cast.front_desk)
    printed = reverse("visits:day_print")
    first = client.get(printed, {"date": DAY}).content.decode()
    assert "sheet 1 of 2: visits 1–25 of 40" in first
    assert "Continued on sheet 2 of 2:</strong> visits 26–40, not on this sheet." in first
    assert f"clinician={other.public_id}" in first  # each clinician's own list, to print
    last = client.get(printed, {"date": DAY, "page": "2"})
    assert len(last.context["visits"]) == 15
    assert "Last sheet: visits 1–25 are on the earlier sheets." in last.content.decode()
    own = client.get(printed, {"date": DAY, "clinician": str(other.public_id)})
    assert len(own.context["visits"]) == 20 and "sheet 1 of" not in own.content.decode()
    # Every visit of the day is on one sheet or another, once.
    sheets = [client.get(printed, {"date": DAY, "page": n}).context["visits"] for n in (1, 2)]
    assert len({v.pk for sheet in sheets for v in sheet}) == 40
    assert DAY_PAGE_SIZE == 25


def test_the_schedule_pages_its_clinicians_and_heads_each_with_its_count(
    client, cast, signed_in, clock
):
    others = [
        make_staff(cast.clinic, f"doc{n}", Role.CLINICIAN, "Doc", f"Zed{n:02d}") for n in range(7)
    ]
    book(cast, 5)
    book(cast, 2, clinician=others[-1])
    signed_in(cast.front_desk)
    schedule = reverse("visits:calendar")
    first = client.get(schedule, {"date": DAY})
    assert len(first.context["columns"]) == calendar.COLUMNS_SHOWN
    assert first.context["columns"][0] == (cast.clinician, 5)  # "Clinician" sorts first
    assert "Clinicians 1–6 of 8" in first.content.decode()
    assert 'Book<span class="visually-hidden"> Mon 2 Mar 08:00 with Doc Zed00</span>' in (
        first.content.decode()
    )
    second = client.get(schedule, {"date": DAY, "page": "2"})
    assert second.context["columns"] == [(others[-2], 0), (others[-1], 2)]
    assert {v.clinician_id for v in second.context["visits"]} == {others[-1].pk}
    beyond = client.get(schedule, {"date": DAY, "page": "9"})
    assert beyond.status_code == 200 and beyond.context["page"].number == 2
    assert "There is no page 9: the last is page 2." in beyond.content.decode()
    week = client.get(
        schedule, {"date": DAY, "view": "week", "clinician": cast.clinician.public_id}
    )
    assert week.context["columns"][0] == (NOW.date(), 5) and week.context["left_out"] == 0


def test_the_schedule_says_when_a_page_holds_more_visits_than_it_reads(
    client, cast, signed_in, clock, monkeypatch
):
    monkeypatch.setattr(calendar, "VISITS_SHOWN", 4)
    book(cast, 6, every=timedelta(minutes=5))
    signed_in(cast.front_desk)
    response = client.get(reverse("visits:calendar"), {"date": DAY})
    assert len(response.context["visits"]) == 4 and response.context["left_out"] == 2
    assert "2 more visits booked here than the schedule can show" in response.content.decode()


@pytest.mark.parametrize(
    "starts, minutes, home, busy",
    [
        ("09:00", 30, "09:00", ["09:15"]),  # on a slot, running over the next
        ("09:05", 15, "09:00", ["09:15"]),  # off the grid: in the slot it starts in
        ("07:30", 45, "08:00", []),  # before opening: the first slot, busy nowhere before it
        ("16:50", 60, "16:45", []),  # after the last slot starts: the last
        ("08:00", 15, "08:00", []),  # one slot exactly
        ("10:00", 60, "10:00", ["10:15", "10:30", "10:45"]),
    ],
)
def test_it_puts_each_visit_in_the_slot_it_starts_in_and_marks_those_it_runs_over(
    starts, minutes, home, busy
):
    day = NOW.date()
    at = [datetime.combine(day, time(8), tzinfo=UTC) + timedelta(minutes=15 * n) for n in range(36)]
    cells = [calendar.Cell(at=moment, clinician=None) for moment in at]
    hour, minute = map(int, starts.split(":"))
    visit = Visit(scheduled_for=datetime.combine(day, time(hour, minute), tzinfo=UTC),
                  duration_minutes=minutes)  # fmt: skip
    calendar._fill(cells, [visit])
    assert [f"{c.at:%H:%M}" for c in cells if c.visits] == [home]
    assert [f"{c.at:%H:%M}" for c in cells if c.busy] == busy
