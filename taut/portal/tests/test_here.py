"""The patient's "I'm here" on their portal page on the day of the visit: the front desk's
day list then shows them waiting. Not before the day, not for someone else's visit."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from taut import links
from taut.tests.cast import acting, make_patient, patient_acting
from taut.visits.models import Visit
from taut.visits.services.booking import patient_arrived
from taut.visits.services.common import VisitError, VisitNotAllowed
from taut.workflows import booking

# The cases give times in UTC; CI moves the deployment's zone, which the cast's clinic keeps.
pytestmark = pytest.mark.usefixtures("clinic_clock_in_utc")


UTC = ZoneInfo("UTC")
NOW = datetime(2026, 3, 2, 8, 50, tzinfo=UTC)


def home(patient):
    return reverse("portal:home", kwargs={"token": links.home_token(patient, now=NOW)})


def test_it_checks_the_patient_in_from_their_page_on_the_day(client, cast):
    with time_machine.travel(NOW, tick=False):
        visit = booking.book_visit(
            patient=cast.patient, scheduled_for=NOW + timedelta(minutes=10),
            clinician=cast.clinician, actor=acting(cast.front_desk, now=NOW - timedelta(days=3)),
        )  # fmt: skip
        page = client.get(home(cast.patient)).content.decode()
        assert "Your visit today at 09:00" in page, page[page.find("<h1") :][:600]
        assert "I'm here" in page
        here = reverse("portal:here", kwargs={"token": links.home_token(cast.patient, now=NOW)})
        response = client.post(here)
        assert response.status_code == 302
        assert (
            "the front desk knows you are here" in client.get(response["Location"]).content.decode()
        )
        assert client.post(here).status_code == 302  # a second tap changes nothing
    visit.refresh_from_db()
    assert (visit.arrival, visit.arrived_at) == (Visit.Arrival.WAITING, NOW)


def test_it_refuses_another_patients_visit_and_a_visit_on_another_day(cast):
    other = make_patient(cast.clinic, cast.front_desk, mrn="T0002", given_name="Bea")
    visit = booking.book_visit(
        patient=cast.patient, scheduled_for=NOW + timedelta(days=1), clinician=cast.clinician,
        actor=acting(cast.front_desk, now=NOW),
    )  # fmt: skip
    with pytest.raises(VisitNotAllowed):
        patient_arrived(visit=visit, actor=patient_acting(other, now=NOW))
    with pytest.raises(VisitError, match="on the day of your visit"):
        patient_arrived(visit=visit, actor=patient_acting(cast.patient, now=NOW))
