"""Portal test setup: a signed session for the cast's patient, and a way to move the clock
to one of its check-in days (links and due dates are read against today)."""

from datetime import datetime, time, timedelta

import pytest
import time_machine

from taut.aftercare.tests import flow
from taut.tests.once import built_once_per_module


def signed_session(cast):
    """A signed session for the cast's patient (three upper-back sites, with lidocaine)."""
    return flow.signed(cast.patient, cast.clinician)


visit, _visit_once = built_once_per_module(signed_session, name="visit")


def noon(day, zone):
    return datetime.combine(day, time(12), tzinfo=zone)


@pytest.fixture
def on_day(cast):
    """``with on_day(date):`` runs at noon that day by the clinic's clock (by which links open
    and expire, whatever the server's TIME_ZONE); ``on_day(date, days=n)`` n days later."""

    def travel(day, days=0):
        return time_machine.travel(noon(day + timedelta(days=days), cast.clinic.zone()), tick=False)

    return travel
