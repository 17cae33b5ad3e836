"""The demo clinic's working week at the front desk: the second clinician's list today, the
rest of this week booked for both clinicians, and today's arrivals (who is waiting, who is
in the room), all written through the booking services by the front desk.

Runs after today's clinical list (``visits.seed_today``) and the bookings ahead
(``outbox.book_ahead``), taking only free slots, so it never double-books.
"""

import random
from datetime import date, datetime, time, timedelta

from taut.accounts.actors import Actor
from taut.accounts.models import Clinic, User
from taut.accounts.roles import Role
from taut.patients.models import Patient
from taut.visits.models import Visit
from taut.visits.services import booking as visit_booking

SECOND_CLINICIAN = ("clinician2", "Kim", "Instance", Role.CLINICIAN)
# The second clinician's today: (time, visit type, minutes, why cancelled if it was).
SECOND_TODAY = (
    (time(8, 30), Visit.Kind.FOLLOW_UP, 15, None),
    (time(9, 0), Visit.Kind.NEW_ASSESSMENT, 45, None),
    (time(10, 0), Visit.Kind.REPEAT_SESSION, 30, None),
    (time(11, 0), Visit.Kind.FOLLOW_UP, 15, None),
    (time(13, 0), Visit.Kind.NEW_ASSESSMENT, 45, None),
    (time(14, 0), Visit.Kind.REPEAT_SESSION, 30, None),
    (time(15, 0), Visit.Kind.FOLLOW_UP, 15, "Patient called: car trouble, will rebook"),
)
# Each later weekday of this week (the coming week, at a weekend), per clinician.
WEEK_TIMES = (
    (time(9, 0), Visit.Kind.NEW_ASSESSMENT),
    (time(10, 30), Visit.Kind.REPEAT_SESSION),
    (time(13, 30), Visit.Kind.FOLLOW_UP),
    (time(15, 0), Visit.Kind.REPEAT_SESSION),
)


def seed_schedule(*, clinic: Clinic, staff: dict, second: User, seed: int, now: datetime) -> int:
    """Book the week and check today's patients in; return visits booked (0 when the second
    clinician already has visits today: the schedule was seeded before). ``second`` is the
    second clinician (``SECOND_CLINICIAN``), who also has past sessions (and so may have a
    visit booked ahead by ``outbox.book_ahead``)."""
    zone = clinic.zone()
    today = now.astimezone(zone).date()
    if any(v.clinician_id == second.pk for v in visits_today(clinic, today)):
        return 0
    start = datetime.combine(today, time.min, tzinfo=zone)
    desk = Actor.staff(staff[Role.FRONT_DESK], now=now)
    rng = random.Random(f"taut-demo-schedule:{seed}:{today.isoformat()}")
    # Patients with nothing booked from today on (new ones, and treated ones coming back).
    seen = Visit.objects.filter(patient__clinic=clinic, scheduled_for__gte=start).values(
        "patient_id"
    )
    free = list(Patient.objects.filter(clinic=clinic).exclude(pk__in=seen).order_by("mrn")[:80])
    rng.shuffle(free)
    booked = 0
    early = desk.at(now - timedelta(days=7))  # booked a week ago: the slots were free then
    for at, kind, minutes, cancelled in SECOND_TODAY:
        if not free:
            break
        when = datetime.combine(today, at, tzinfo=zone)
        visit = _book(free.pop(), when, second, kind, minutes, early)
        if cancelled:
            visit_booking.cancel_visit(
                visit=visit, version=visit.version, reason=cancelled, actor=early.at(now)
            )
        booked += 1
    for day in _rest_of_week(today):
        for at, kind in WEEK_TIMES:
            for clinician in (staff[Role.CLINICIAN], second):
                when = datetime.combine(day, at, tzinfo=zone)
                if not free or visit_booking.overlapping(
                    clinician=clinician, start=when, minutes=30
                ):
                    continue
                _book(free.pop(), when, clinician, kind, 30, early)
                booked += 1
    _arrivals(clinic, today, now=now, desk=desk, second=second)
    return booked


def _book(patient, when, clinician, kind, minutes, actor) -> Visit:
    """A visit booked a week ago through the visit service alone: the intake emails are the
    reminders' story, told by ``outbox.book_ahead``."""
    return visit_booking.schedule_visit(
        patient=patient, scheduled_for=when, clinician=clinician, kind=kind,
        duration_minutes=minutes, actor=actor,
    )  # fmt: skip


def _rest_of_week(today: date) -> list[date]:
    """The working days after today up to Friday; on a Friday or at a weekend, the coming week's."""
    days = [today + timedelta(days=n) for n in range(1, 8)]
    working = [day for day in days if day.weekday() < 5]
    if today.weekday() >= 4:  # Friday or the weekend: nothing is left of this week
        return working
    return [d for d in working if d.weekday() > today.weekday()]


def _arrivals(clinic: Clinic, today: date, *, now: datetime, desk: Actor, second: User) -> None:
    """Today's patients as the front desk left them: those being seen were shown into the
    room; those due from 20 minutes ago to 20 minutes ahead are waiting; of the second
    clinician's earlier patients, the first did not come and the others were seen."""
    missed = False
    for visit in visits_today(clinic, today):
        late = now - visit.scheduled_for
        checked_in = desk.at(min(now, visit.scheduled_for - timedelta(minutes=5)))
        if visit.state in (Visit.State.EXAMINED, Visit.State.PROCEDURE_DOCUMENTED):
            _arrive(visit, checked_in, desk.at(min(now, visit.scheduled_for)))
        elif visit.state not in (Visit.State.SCHEDULED, Visit.State.INTAKE_DONE):
            continue
        elif timedelta(minutes=-20) <= late <= timedelta(minutes=20):
            _arrive(visit, checked_in)
        elif late > timedelta(minutes=20) and visit.clinician_id == second.pk:
            if missed:
                _arrive(visit, checked_in, desk.at(min(now, visit.scheduled_for)))
            else:
                visit_booking.mark_no_show(visit=visit, version=visit.version, actor=desk)
                missed = True


def _arrive(visit: Visit, checked_in: Actor, into_room: Actor | None = None) -> None:
    visit = visit_booking.record_arrival(
        visit=visit, version=visit.version, arrival=Visit.Arrival.WAITING, actor=checked_in
    )
    if into_room is not None:
        visit_booking.record_arrival(
            visit=visit, version=visit.version, arrival=Visit.Arrival.IN_ROOM, actor=into_room
        )


def visits_today(clinic: Clinic, today: date) -> list[Visit]:
    zone = clinic.zone()
    start = datetime.combine(today, time.min, tzinfo=zone)
    return list(
        Visit.objects.filter(
            patient__clinic=clinic,
            scheduled_for__gte=start,
            scheduled_for__lt=start + timedelta(days=1),
        )
        .select_related("patient", "clinician")
        .order_by("scheduled_for")
    )
