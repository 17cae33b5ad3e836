"""The portal keeps the clinic's time, not the server's: a check-in opens on its due day in
the clinic's time zone (when its 09:00 reminder goes out), its link stays open to the end of
the last day there, and the pre-visit page shows the visit at the clinic's clock time. The
server runs on UTC; the clinics are in Sydney (ahead of it) and Los Angeles (behind it)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.reminders.services import reminder_time
from taut.visits.tests import flow

SYDNEY, LOS_ANGELES = "Australia/Sydney", "America/Los_Angeles"


@pytest.fixture(autouse=True)
def _server_on_utc(settings):
    settings.TIME_ZONE = "UTC"


def clinic_in(cast, zone):
    cast.clinic.time_zone = zone
    cast.clinic.save(update_fields=["time_zone"])


def at(day, hour, zone):
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(zone))


def week_1(visit):
    return visit.checkins.select_related("patient__clinic").get(checkpoint="week_1")


def checkin_url(checkin):
    return reverse("portal:checkin", kwargs={"token": links.checkin_token(checkin)})


def home_url(patient):
    return reverse("portal:home", kwargs={"token": links.home_token(patient, now=timezone.now())})


def test_it_opens_the_check_in_when_the_sydney_reminder_goes_out(client, cast, visit):
    """09:00 in Sydney is still the day before in UTC: the link in that email must open."""
    clinic_in(cast, SYDNEY)
    checkin = week_1(visit)
    sent = reminder_time(checkin.due_on, cast.clinic)
    assert sent == at(checkin.due_on, 9, SYDNEY)
    assert sent.astimezone(UTC).date() == checkin.due_on - timedelta(days=1)
    with time_machine.travel(sent, tick=False):
        response = client.get(checkin_url(checkin))
        home = client.get(home_url(cast.patient))
    assert response.status_code == 200
    assert "not open yet" not in response.content.decode()
    assert "How bad is the pain we are treating, right now?" in response.content.decode()
    assert checkin in [row.checkin for row in home.context["due"]]


def test_it_keeps_a_los_angeles_check_in_shut_the_evening_before(client, cast, visit):
    """20:00 the day before in Los Angeles is already the due day in UTC."""
    clinic_in(cast, LOS_ANGELES)
    checkin = week_1(visit)
    evening = at(checkin.due_on - timedelta(days=1), 20, LOS_ANGELES)
    assert evening.astimezone(UTC).date() == checkin.due_on
    with time_machine.travel(evening, tick=False):
        response = client.get(checkin_url(checkin))
        home = client.get(home_url(cast.patient))
    assert "is not open yet" in response.content.decode()
    assert checkin not in [row.checkin for row in home.context["due"]]
    assert home.context["next_checkin"] == checkin


def test_it_keeps_a_los_angeles_link_open_to_the_end_of_its_last_day_there(
    client, cast, visit, settings
):
    clinic_in(cast, LOS_ANGELES)
    checkin = week_1(visit)
    last_day = checkin.due_on + timedelta(days=settings.PORTAL_CHECKIN_GRACE_DAYS)
    expires = links.checkin_expiry(checkin)
    assert expires.astimezone(ZoneInfo(LOS_ANGELES)).date() == last_day
    assert expires.astimezone(ZoneInfo(LOS_ANGELES)).time() == time.max
    url = checkin_url(checkin)
    with time_machine.travel(at(last_day, 22, LOS_ANGELES), tick=False):  # next day in UTC
        assert client.get(url).status_code == 200
    with time_machine.travel(at(last_day + timedelta(days=1), 0, LOS_ANGELES), tick=False):
        assert client.get(url).status_code == 410


def test_it_ends_a_sydney_link_at_the_end_of_its_last_day_there(cast, visit, settings):
    clinic_in(cast, SYDNEY)
    checkin = week_1(visit)
    last_day = checkin.due_on + timedelta(days=settings.PORTAL_CHECKIN_GRACE_DAYS)
    expires = links.checkin_expiry(checkin)
    assert expires == datetime.combine(last_day, time.max, tzinfo=ZoneInfo(SYDNEY))


@pytest.mark.parametrize(
    ("zone", "shown"),
    [(SYDNEY, "Tuesday 2 March at 10:00"), (LOS_ANGELES, "Monday 1 March at 15:00")],
)
def test_it_shows_the_visit_time_on_the_clinics_clock(client, cast, zone, shown):
    clinic_in(cast, zone)
    with time_machine.travel(datetime(2027, 2, 26, 12, tzinfo=UTC), tick=False):
        booked = flow.scheduled(
            cast.patient, cast.front_desk, when=datetime(2027, 3, 1, 23, tzinfo=UTC)
        )
        response = client.get(
            reverse("portal:intake", kwargs={"token": links.intake_token(booked)})
        )
    assert response.status_code == 200
    assert f"<strong>{shown}</strong>" in response.content.decode()
    assert date(2027, 3, 1) == booked.scheduled_for.date()
