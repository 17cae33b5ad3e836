"""Writes of the reminders app: queueing emails, a person's "try again", the sweep.

Queueing runs inside the transaction that made the thing to remind about (a signed
session's check-ins, a booked visit, an alert, a new portal password; composed in
``taut.workflows``): the ``Reminder`` row and its task (the database queue writes a row too)
commit or roll back together. Sending is ``sending.py``, run by the worker's task.

Every function takes the moment it acts at (``now``, or the actor's) from its caller.
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from taut.accounts.actors import Actor
from taut.accounts.models import Clinic
from taut.accounts.roles import Need
from taut.aftercare.models import Alert, CheckIn
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.refusals import NotAllowed, Refused
from taut.patients.models import Patient
from taut.reminders import sending
from taut.reminders.models import Reminder
from taut.reminders.tasks import send_reminder_task
from taut.visits.models import Visit

Status = Reminder.Status
Kind = Reminder.Kind


class ReminderError(Refused):
    """A change to a reminder that cannot be made; the message says why."""


def reminder_time(day: Any, clinic: Clinic) -> datetime:
    """REMINDER_HOUR on ``day`` in the clinic's time zone."""
    return datetime.combine(day, time(settings.REMINDER_HOUR), tzinfo=clinic.zone())


def enqueue(reminder: Reminder, *, now: datetime) -> None:
    """Put the reminder's send on the queue, to run at its ``send_after`` (or now)."""
    run_after = reminder.send_after if reminder.send_after > now else None
    send_reminder_task.using(run_after=run_after).enqueue(reminder.pk)


def _queue(
    *, key: str, kind: str, patient: Patient, send_after: datetime, now: datetime, **links_to: Any
) -> Reminder | None:
    """Create and enqueue one reminder; None when ``key`` already has one (idempotent, also
    when two workers' sweeps race to create it: the unique key lets one insert win)."""
    if Reminder.objects.filter(key=key).exists():
        return None
    reminder = Reminder(
        key=key,
        kind=kind,
        patient=patient,
        clinic_id=patient.clinic_id,
        send_after=send_after,
        **links_to,
    )
    reminder.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            reminder.save(force_insert=True)
            enqueue(reminder, now=now)
    except IntegrityError:
        return None
    return reminder


def queue_checkin_reminders(*, checkins: Iterable[CheckIn], now: datetime) -> list[Reminder]:
    """A reminder for each open check-in, on its due day (after a session is signed)."""
    queued = []
    for checkin in checkins:
        if checkin.completed:
            continue
        reminder = _queue(
            key=f"checkin:{checkin.public_id}",
            kind=Kind.CHECKIN,
            patient=checkin.patient,
            send_after=reminder_time(checkin.due_on, checkin.patient.clinic),
            now=now,
            checkin=checkin,
        )
        if reminder:
            queued.append(reminder)
    return queued


def queue_intake_link(*, visit: Visit, now: datetime) -> Reminder | None:
    """The pre-visit intake link, emailed now, for a visit booked in the future."""
    if visit.scheduled_for <= now:
        return None
    return _queue(
        key=f"intake:{visit.public_id}",
        kind=Kind.INTAKE,
        patient=visit.patient,
        send_after=now,
        now=now,
        visit=visit,
    )


def queue_visit_moved(*, visit: Visit, now: datetime) -> Reminder | None:
    """Tell the patient at once that their visit moved (one notice per move: only the
    notice naming the visit's latest version goes out)."""
    return _queue(
        key=f"moved:{visit.public_id}:{visit.version}",
        kind=Kind.MOVED,
        patient=visit.patient,
        send_after=now,
        now=now,
        visit=visit,
    )


def queue_visit_cancelled(*, visit: Visit, now: datetime) -> Reminder | None:
    """Tell the patient at once that their visit was cancelled."""
    return _queue(
        key=f"cancelled:{visit.public_id}",
        kind=Kind.CANCELLED,
        patient=visit.patient,
        send_after=now,
        now=now,
        visit=visit,
    )


def queue_alert_email(*, alert: Alert, now: datetime) -> Reminder | None:
    """Tell the clinic's address at once that a warning sign was reported. The alert is on
    the worklist either way."""
    return _queue(
        key=f"alert:{alert.public_id}",
        kind=Kind.ALERT,
        patient=alert.patient,
        send_after=now,
        now=now,
        alert=alert,
    )


def queue_password_notice(
    *, patient: Patient, changed_at: datetime, first: bool, now: datetime
) -> Reminder | None:
    """Tell the patient at once that their portal password was set (``first``) or changed
    at ``changed_at``."""
    change = "set" if first else "changed"
    return _queue(
        key=f"password:{patient.public_id}:{int(changed_at.timestamp())}:{change}",
        kind=Kind.PASSWORD,
        patient=patient,
        send_after=now,
        now=now,
    )


def retry_now(*, reminder: Reminder, actor: Actor) -> Reminder:
    """A person asks for a failed reminder to be tried again (after fixing the address)."""
    actor.require(Need.NURSING_WRITE, "Your role does not resend emails.")
    if actor.clinic_id != reminder.patient.clinic_id:
        raise NotAllowed("This reminder belongs to another clinic.")
    with transaction.atomic():
        changed = Reminder.objects.filter(pk=reminder.pk, status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, send_after=actor.now, updated_at=actor.now
        )
        if not changed:
            raise ReminderError("Only a reminder that failed can be tried again.")
        reminder.refresh_from_db()
        enqueue(reminder, now=actor.now)
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=reminder.patient,
            obj=reminder,
            details={"change": "retry", "kind": reminder.kind},
        )
    return reminder


def sweep(*, now: datetime) -> dict[str, int]:
    """Repair the queue; run by ``taut worker`` at start and every minute.

    1. A reminder a worker claimed REMINDER_STALE_SECONDS ago and never finished is marked
       FAILED (not retried: the email may have gone out).
    2. A pending reminder overdue by a minute with no task waiting in the queue (lost, or
       pruned) is enqueued again (a duplicate would be harmless: only one claim can win).
    3. Open check-ins due from yesterday on that have no reminder get one (check-ins made
       before reminders existed, or by an import).
    """
    stale = now - timedelta(seconds=settings.REMINDER_STALE_SECONDS)
    counts = {"stale": 0, "requeued": 0, "created": 0}
    for reminder in Reminder.objects.filter(status=Status.SENDING, claimed_at__lt=stale):
        counts["stale"] += sending.close(
            reminder,
            Status.FAILED,
            now=now,
            note="The worker stopped while sending. Not retried, as the email may have "
            "gone out: check with the patient.",
        )
    waiting = {
        task.args_kwargs["args"][0]
        for task in DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=send_reminder_task.module_path
        ).only("args_kwargs")
    }
    late = Reminder.objects.filter(status=Status.PENDING, send_after__lt=now - timedelta(minutes=1))
    for reminder in late.exclude(pk__in=waiting):
        with transaction.atomic():
            enqueue(reminder, now=now)
        counts["requeued"] += 1
    reminded = Reminder.objects.filter(checkin__isnull=False).values("checkin_id")
    orphans = (
        CheckIn.objects.filter(completed_at__isnull=True)
        .exclude(pk__in=reminded)
        .select_related("patient__clinic")
    )
    for checkin in orphans:
        # From yesterday on, by the check-in's clinic's calendar.
        since = now.astimezone(checkin.patient.clinic.zone()).date() - timedelta(days=1)
        if checkin.due_on >= since and queue_checkin_reminders(checkins=[checkin], now=now):
            counts["created"] += 1
    return counts
