"""Booking services: visit types and lengths, double-booking refused unless overridden,
moving, cancelling with a reason, no-shows and arrivals on the clinic's day; each change
version-checked, audited, and the patient emailed through the reminders queue."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from taut.accounts.models import Clinic
from taut.audit.models import Action, AuditEvent
from taut.lib.refusals import NotAllowed
from taut.reminders.models import Reminder
from taut.tests.cast import acting
from taut.visits.models import Visit
from taut.visits.services import booking as services
from taut.visits.services.booking import DoubleBooked
from taut.visits.services.common import VisitConflict, VisitError, VisitInvalid, VisitLocked
from taut.workflows import booking

# The cases give times in UTC; CI moves the deployment's zone, which the cast's clinic keeps.
pytestmark = pytest.mark.usefixtures("clinic_clock_in_utc")


UTC = ZoneInfo("UTC")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday morning
NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def book(cast, when=NINE, by=None, **extra):
    extra.setdefault("clinician", cast.clinician)
    return booking.book_visit(
        patient=cast.patient, scheduled_for=when, actor=acting(by or cast.front_desk, now=NOW),
        **extra,
    )  # fmt: skip


def test_it_books_with_the_types_usual_length_and_emails_the_intake_link(cast):
    visit = book(cast, kind=Visit.Kind.FOLLOW_UP)
    assert (visit.duration_minutes, visit.ends_at) == (15, NINE + timedelta(minutes=15))
    assert Reminder.objects.get(visit=visit).kind == Reminder.Kind.INTAKE
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(visit.public_id))
    assert event.details == {"kind": "follow_up", "minutes": 15}


def test_it_refuses_a_double_booking_unless_overridden_and_records_the_override(cast):
    book(cast, kind=Visit.Kind.NEW_ASSESSMENT)  # 09:00-09:45
    with pytest.raises(DoubleBooked) as refused:
        book(cast, when=NINE + timedelta(minutes=30))
    assert "Casey Clinician already has a visit from 09:00 to 09:45" in str(refused.value)
    assert Visit.objects.count() == 1
    visit = book(cast, when=NINE + timedelta(minutes=30), override=True)
    assert visit.double_booked
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(visit.public_id))
    assert event.details["double_booked"] is True


def test_it_lets_back_to_back_visits_and_a_cancelled_slot_be_booked(cast):
    first = book(cast, kind=Visit.Kind.REPEAT_SESSION)  # 09:00-09:30
    book(cast, when=NINE + timedelta(minutes=30))  # starts as the first ends
    booking.cancel_visit(
        visit=first, version=first.version, reason="Patient unwell", actor=acting(cast.nurse, now=NOW)
    )  # fmt: skip
    assert book(cast, when=NINE, kind=Visit.Kind.FOLLOW_UP).double_booked is False


def test_it_moves_a_visit_emails_the_new_time_and_refuses_a_stale_form(cast):
    visit = book(cast)
    stale = visit.version
    moved = booking.move_visit(
        visit=visit, version=stale, scheduled_for=NINE + timedelta(days=1), clinician=cast.clinician,
        duration_minutes=30, actor=acting(cast.front_desk, now=NOW),
    )  # fmt: skip
    assert moved.scheduled_for == NINE + timedelta(days=1) and moved.duration_minutes == 30
    notice = Reminder.objects.get(visit=visit, kind=Reminder.Kind.MOVED)
    assert notice.key == f"moved:{visit.public_id}:{moved.version}"
    with pytest.raises(VisitConflict, match="desk changed moved to 2026-03-03 09:00"):
        booking.move_visit(
            visit=moved, version=stale, scheduled_for=NINE, clinician=cast.clinician,
            duration_minutes=30, actor=acting(cast.nurse, now=NOW),
        )  # fmt: skip


def test_it_refuses_moving_onto_another_visit_of_the_clinician(cast):
    book(cast, when=NINE + timedelta(hours=2), kind=Visit.Kind.REPEAT_SESSION)
    visit = book(cast, kind=Visit.Kind.REPEAT_SESSION)
    with pytest.raises(DoubleBooked):
        booking.move_visit(
            visit=visit, version=visit.version, scheduled_for=NINE + timedelta(hours=2, minutes=15),
            clinician=cast.clinician, duration_minutes=30, actor=acting(cast.front_desk, now=NOW),
        )  # fmt: skip
    assert Visit.objects.get(pk=visit.pk).scheduled_for == NINE


def test_it_cancels_only_with_a_reason_and_tells_the_patient(cast):
    visit = book(cast)
    actor = acting(cast.front_desk, now=NOW)
    with pytest.raises(VisitInvalid, match="Say why"):
        booking.cancel_visit(visit=visit, version=visit.version, reason="  ", actor=actor)
    cancelled = booking.cancel_visit(
        visit=visit, version=visit.version, reason="Patient called: unwell", actor=actor
    )
    assert (cancelled.state, cancelled.cancel_reason) == ("cancelled", "Patient called: unwell")
    assert Reminder.objects.filter(visit=visit, kind=Reminder.Kind.CANCELLED).count() == 1
    with pytest.raises(VisitLocked):
        booking.move_visit(
            visit=cancelled, version=cancelled.version, scheduled_for=NINE, clinician=None,
            duration_minutes=30, actor=actor,
        )  # fmt: skip


def test_it_marks_a_no_show_only_once_the_time_has_come_and_not_after_arrival(cast):
    visit = book(cast)
    with pytest.raises(VisitError, match="once its time has come"):
        services.mark_no_show(
            visit=visit, version=visit.version, actor=acting(cast.front_desk, now=NOW)
        )
    later = acting(cast.front_desk, now=NINE + timedelta(minutes=40))
    missed = services.mark_no_show(visit=visit, version=visit.version, actor=later)
    assert missed.state == Visit.State.NO_SHOW and missed.locked


def test_it_checks_a_patient_in_then_into_the_room_and_keeps_the_arrival_time(cast):
    visit = book(cast)
    desk = acting(cast.front_desk, now=NINE - timedelta(minutes=10))
    visit = services.record_arrival(
        visit=visit, version=visit.version, arrival="waiting", actor=desk
    )
    assert visit.arrival == "waiting" and visit.arrived_at == desk.now
    visit = services.record_arrival(
        visit=visit, version=visit.version, arrival="in_room", actor=desk.at(NINE)
    )
    assert visit.arrival == "in_room" and visit.arrived_at == desk.now
    with pytest.raises(VisitError, match="has not started"):
        booking.cancel_visit(visit=visit, version=visit.version, reason="x", actor=desk)
    changes = AuditEvent.objects.filter(
        object_id=str(visit.public_id), action=Action.UPDATE
    ).order_by("id")
    assert [e.details["change"] for e in changes] == [
        "arrival: arrived, waiting",
        "arrival: in room",
    ]


def test_it_checks_in_by_the_clinics_day_near_midnight(cast):
    """Kiritimati is UTC+14: at 23:50 there on 2 March it is 09:50 UTC on 2 March; a visit at
    23:55 clinic time is today's, one at 00:10 is tomorrow's, whatever the UTC date."""
    Clinic.objects.filter(pk=cast.clinic.pk).update(time_zone="Pacific/Kiritimati")
    cast.clinic.refresh_from_db()
    zone = ZoneInfo("Pacific/Kiritimati")
    now = datetime(2026, 3, 2, 23, 50, tzinfo=zone)
    with time_machine.travel(now, tick=False):
        tonight = book(cast, when=datetime(2026, 3, 2, 23, 55, tzinfo=zone))
        after_midnight = book(cast, when=datetime(2026, 3, 3, 0, 10, tzinfo=zone), clinician=None)
        actor = acting(cast.front_desk.__class__.objects.get(pk=cast.front_desk.pk), now=now)
        assert actor.today.isoformat() == "2026-03-02"
        services.record_arrival(
            visit=tonight, version=tonight.version, arrival="waiting", actor=actor
        )
        with pytest.raises(VisitError, match="on the day of their visit"):
            services.record_arrival(
                visit=after_midnight, version=after_midnight.version, arrival="waiting",
                actor=actor,
            )  # fmt: skip


def test_it_refuses_staff_of_another_clinic(cast):
    visit = book(cast)
    with pytest.raises(NotAllowed):
        booking.cancel_visit(
            visit=visit, version=visit.version, reason="x", actor=acting(cast.outsider, now=NOW)
        )
