"""The patient's emails when a visit moves or is cancelled: sent by the worker like every
reminder; a visit moved twice gets one notice, with the latest time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from taut.reminders import sending
from taut.reminders.models import Reminder
from taut.tests.cast import acting
from taut.workflows import booking

# The cases give times in UTC; CI moves the deployment's zone, which the cast's clinic keeps.
pytestmark = pytest.mark.usefixtures("clinic_clock_in_utc")


UTC = ZoneInfo("UTC")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NINE = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def test_it_tells_the_patient_the_latest_time_once_and_then_the_cancellation(cast):
    desk = acting(cast.front_desk, now=NOW)
    visit = booking.book_visit(
        patient=cast.patient, scheduled_for=NINE, clinician=cast.clinician, actor=desk
    )
    for hours in (1, 2):
        visit = booking.move_visit(
            visit=visit, version=visit.version, scheduled_for=NINE + timedelta(hours=hours),
            clinician=cast.clinician, duration_minutes=30, actor=desk,
        )  # fmt: skip
    outcomes = [
        sending.send_reminder(reminder_id=r.pk, now=NOW).outcome
        for r in Reminder.objects.filter(kind=Reminder.Kind.MOVED).order_by("id")
    ]
    assert outcomes == ["skipped", "sent"]
    moved = mail.outbox[-1]
    assert moved.to == ["ada@example.org"] and "Wednesday 4 March 2026 at 11:00" in moved.body
    booking.cancel_visit(visit=visit, version=visit.version, reason="Clinic closed", actor=desk)
    cancelled = Reminder.objects.get(kind=Reminder.Kind.CANCELLED)
    assert sending.send_reminder(reminder_id=cancelled.pk, now=NOW).outcome == "sent"
    assert "has been cancelled" in mail.outbox[-1].body
    assert "cancelled" in mail.outbox[-1].subject
