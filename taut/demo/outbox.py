"""Demo history for the queue and the portal: what reminders did, and visits booked ahead.

The seed signs past sessions through the real services, which queue a reminder for every
check-in on its due day. A real clinic's worker would have sent those on the day; here the
worker's own send (``taut.reminders.sending.send_reminder``) runs for each at its time,
handing the message to nobody: sent to the patient's address, skipped where the patient has
no address (or had already answered), and a few failed after the last try (a full mailbox,
retried with the worker's back-off), so the worklist's "Emails not sent" has something true
to show. Their queued tasks are removed, so the demo's worker starts with only what is due
now.

Then a few treated patients are booked for the next working day through the front desk's
service: each booking queues the pre-visit link (the demo's worker sends it to var/mail/),
and one patient has already answered it, so a patient-reported intake and drawing wait for
staff review.
"""

import random
import smtplib
from datetime import datetime, time, timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from taut.accounts.actors import Actor
from taut.accounts.roles import Role
from taut.aftercare.models import CheckIn
from taut.atlas.forms import MarkInput
from taut.clinical import outcomes, screening
from taut.drawings.models import PainDrawing
from taut.reminders import sending
from taut.reminders.models import Reminder
from taut.visits import queries as visits
from taut.visits.models import Intake, Visit
from taut.visits.services.intake import INTAKE_FIELDS, record_patient_intake
from taut.workflows import booking

FAILED_WANTED = 2
BOOKINGS = ((10, 0), (11, 30), (14, 0))


def address(reminder: Reminder) -> str:
    if reminder.kind == Reminder.Kind.ALERT:
        return reminder.patient.clinic.email
    return reminder.patient.email


def delivered(message: EmailMessage) -> None:
    """The demo's history hands its messages to nobody: they went out long ago."""


def mailbox_full(message: EmailMessage) -> None:
    raise smtplib.SMTPRecipientsRefused(dict.fromkeys(message.to, (552, b"Mailbox full")))


def settle_reminders(*, seed: int, now: datetime) -> None:
    """Reminders due before ``now`` as the worker would have left them: each sent at its
    time, and retried where it failed, through the worker's own send."""
    rng = random.Random(f"{seed}-reminders")
    due = list(
        Reminder.objects.filter(status=Reminder.Status.PENDING, send_after__lt=now)
        .select_related("patient__clinic", "checkin")
        .order_by("send_after", "id")
    )
    # From the last month (a shorter window can hold fewer than FAILED_WANTED on some
    # days), and at least a day old so that every retry has run out by ``now``.
    recent, settled = now - timedelta(days=30), now - timedelta(days=1)
    candidates = [
        r
        for r in due
        if r.kind == Reminder.Kind.CHECKIN and recent < r.send_after < settled and address(r)
    ]
    full = {r.pk for r in rng.sample(candidates, min(FAILED_WANTED, len(candidates)))}
    for reminder in due:
        deliver = mailbox_full if reminder.pk in full else delivered
        at = reminder.send_after
        while at < now:
            sent = sending.send_reminder(reminder_id=reminder.pk, now=at, deliver=deliver)
            if sent.retry_at is None:
                break
            at = sent.retry_at
    _drop_settled_tasks()


def _drop_settled_tasks() -> None:
    """Remove queued sends of reminders that are no longer pending (they would do nothing)."""
    settled = set(
        Reminder.objects.exclude(status=Reminder.Status.PENDING).values_list("pk", flat=True)
    )
    stale = [
        task.pk
        for task in DBTaskResult.objects.filter(task_path__endswith="send_reminder_task")
        if task.args_kwargs["args"][0] in settled
    ]
    DBTaskResult.objects.filter(pk__in=stale).delete()


def _next_working_day(today):
    day = today + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def book_ahead(*, clinic, staff, seed: int, now: datetime) -> list[Visit]:
    """Three treated patients booked for the next working day (after the clinic's day at
    ``now``); one has answered the link the worker emailed them an hour later."""
    zone = clinic.zone()
    day = _next_working_day(now.astimezone(zone).date())
    start = datetime.combine(day, time.min, tzinfo=zone)
    if Visit.objects.filter(patient__clinic=clinic, scheduled_for__gte=start).exists():
        return []
    desk = Actor.staff(staff[Role.FRONT_DESK], now=now - timedelta(hours=2))
    rng = random.Random(f"{seed}-bookings")
    treated = list(
        CheckIn.objects.filter(
            patient__clinic=clinic, checkpoint="week_12", completed_at__isnull=False
        )
        .exclude(patient__email="")
        .values_list("patient_id", flat=True)
        .distinct()
        .order_by("patient_id")
    )
    chosen = rng.sample(treated, min(len(BOOKINGS), len(treated)))
    booked = []
    for patient_id, (hour, minute) in zip(chosen, BOOKINGS, strict=False):
        last = (
            Visit.objects.filter(patient_id=patient_id, state=Visit.State.SIGNED)
            .select_related("patient", "clinician")
            .order_by("-scheduled_for")
            .first()
        )
        assert last is not None  # a check-in was scheduled when a session was signed
        when = datetime.combine(day, time(hour, minute), tzinfo=zone)
        visit = booking.book_visit(
            patient=last.patient,
            scheduled_for=when,
            clinician=last.clinician,
            kind=Visit.Kind.REPEAT_SESSION,
            actor=desk,
        )
        booked.append((visit, last))
    if booked:
        visit, last = booked[0]
        # The worker emailed the link an hour ago (two after booking); they answered since.
        link = Reminder.objects.get(visit=visit)
        sending.send_reminder(reminder_id=link.pk, now=now - timedelta(hours=1), deliver=delivered)
        _patient_answers(visit, last, now=now - timedelta(minutes=20))
        _drop_settled_tasks()
    return [visit for visit, _ in booked]


def _patient_answers(visit: Visit, last: Visit, *, now: datetime) -> None:
    """The patient fills in the pre-visit intake: their last intake's story, today's pain
    from their last check-in, the drawing they last made."""
    before = Intake.objects.get(visit=last)
    checkin = (
        CheckIn.objects.filter(patient=visit.patient, completed_at__isnull=False)
        .order_by("-due_on")
        .first()
    )
    data = {name: getattr(before, name) for name in INTAKE_FIELDS}
    data["reason"] = "My pain is coming back"
    # Only what patients are asked: examination findings stay for the clinician.
    data["red_flags"] = {
        q.id: False for questions in screening.PATIENT_RED_FLAG_SETS.values() for q in questions
    }
    if checkin is not None and checkin.nrs is not None:
        data.update(
            nrs_now=checkin.nrs,
            nrs_average=checkin.nrs,
            nrs_worst=min(10, checkin.nrs + 2),
            peg_pain=checkin.peg_pain if checkin.peg_pain is not None else checkin.nrs,
            peg_enjoyment=checkin.peg_enjoyment or 0,
            peg_activity=checkin.peg_activity or 0,
        )
    answered = CheckIn.objects.filter(visit=last, nrs__isnull=False)
    if before.nrs_average:  # the best relief they reported after that session, as they recall it
        best = max(
            (
                outcomes.relief_percent(before.nrs_average, c.nrs)
                for c in answered
                if c.nrs is not None
            ),
            default=0,
        )
        data.update(
            previous_tpi=True,
            previous_tpi_details=f"Here on {visits.session_date(last):%-d %b %Y}",
            previous_tpi_relief=round(max(0, best)),
        )
    drawing = PainDrawing.objects.filter(patient=visit.patient).order_by("-recorded_at").first()
    marks = []
    if drawing is not None:
        marks = [
            MarkInput(m.region, m.side or None, m.intensity, tuple(m.qualities or ()))
            for m in drawing.marks.all()
        ]
    with transaction.atomic():
        record_patient_intake(
            visit=visit,
            data=data,
            goals=[g.text for g in last.goals.filter(active=True)][:2],
            marks=marks,
            no_pain=not marks,
            actor=Actor.patient(
                patient_id=visit.patient_id, clinic=visit.patient.clinic, now=now, address=""
            ),
        )
