"""Writes of the reminders app: queueing emails, sending each at most once, sweeping.

Queueing runs inside the transaction that made the thing to remind about (a signed
session's check-ins, a booked visit, an alert): the ``Reminder`` row and its task (the
database queue writes a row too) commit or roll back together.

Sending is "at most once" per reminder: ``send_reminder`` first moves the row from PENDING
to SENDING with a conditional UPDATE, which only one process can win, and only the winner
talks to the mail server. A send that raises goes back to PENDING with a later
``send_after`` (back-off) until ``REMINDER_MAX_ATTEMPTS``, then FAILED, for a person. A
reminder left in SENDING by a worker that stopped mid-send is never retried (the email may
have gone out); the sweep marks it FAILED so the worklist shows it.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.tasks import TaskResultStatus
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from taut.aftercare.models import CheckIn
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.refusals import Refused
from taut.portal import links
from taut.reminders.models import Reminder
from taut.reminders.tasks import send_reminder_task

ACTOR = "taut worker"
Status = Reminder.Status
Kind = Reminder.Kind


class ReminderError(Refused):
    """A change to a reminder that cannot be made; the message says why."""


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: REMINDER_RETRY_SECONDS × 4^(n−1)."""
    return timedelta(seconds=settings.REMINDER_RETRY_SECONDS * 4 ** max(attempts - 1, 0))


def reminder_time(day, clinic) -> datetime:
    """REMINDER_HOUR on ``day`` in the clinic's time zone."""
    zone = clinic.zone()
    return datetime.combine(day, time(settings.REMINDER_HOUR), tzinfo=zone)


def _enqueue(reminder: Reminder) -> None:
    run_after = reminder.send_after if reminder.send_after > timezone.now() else None
    send_reminder_task.using(run_after=run_after).enqueue(reminder.pk)


def _queue(*, key: str, kind: str, patient, send_after: datetime, **links_to) -> Reminder | None:
    """Create and enqueue one reminder; None when ``key`` already has one (idempotent, also
    when two workers' sweeps race to create it: the unique key lets one insert win)."""
    if Reminder.objects.filter(key=key).exists():
        return None
    reminder = Reminder(key=key, kind=kind, patient=patient, send_after=send_after, **links_to)
    reminder.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            reminder.save(force_insert=True)
            _enqueue(reminder)
    except IntegrityError:
        return None
    return reminder


def queue_checkin_reminders(*, visit, by=None, request=None) -> list[Reminder]:
    """A reminder for each open check-in of a signed session, on its due day
    (``settings.AFTER_SIGNING`` hook)."""
    queued = []
    for checkin in CheckIn.objects.filter(visit=visit, completed_at__isnull=True):
        reminder = _queue(
            key=f"checkin:{checkin.public_id}",
            kind=Kind.CHECKIN,
            patient=visit.patient,
            send_after=reminder_time(checkin.due_on, visit.patient.clinic),
            checkin=checkin,
        )
        if reminder:
            queued.append(reminder)
    return queued


def queue_intake_link(*, visit, by=None, request=None) -> Reminder | None:
    """The pre-visit intake link, emailed now, for a visit booked in the future
    (``settings.AFTER_BOOKING`` hook)."""
    if visit.scheduled_for <= timezone.now():
        return None
    return _queue(
        key=f"intake:{visit.public_id}",
        kind=Kind.INTAKE,
        patient=visit.patient,
        send_after=timezone.now(),
        visit=visit,
    )


def queue_alert_email(*, alert, request=None) -> Reminder | None:
    """Tell the clinic's address at once that a warning sign was reported
    (``settings.AFTER_ALERT`` hook). The alert is on the worklist either way."""
    return _queue(
        key=f"alert:{alert.public_id}",
        kind=Kind.ALERT,
        patient=alert.patient,
        send_after=timezone.now(),
        alert=alert,
    )


def queue_password_notice(*, login, first: bool, request=None) -> Reminder | None:
    """Tell the patient at once that their portal password was set or changed
    (``settings.AFTER_PORTAL_PASSWORD`` hook)."""
    change = "set" if first else "changed"
    stamp = int(login.password_changed_at.timestamp())
    return _queue(
        key=f"password:{login.patient.public_id}:{stamp}:{change}",
        kind=Kind.PASSWORD,
        patient=login.patient,
        send_after=timezone.now(),
    )


def _not_needed(reminder: Reminder) -> str:
    """Why a claimed reminder should not go out now ("" when it should)."""
    if reminder.kind == Kind.CHECKIN and reminder.checkin.completed:
        return "The check-in was answered before the reminder was due."
    if reminder.kind == Kind.CHECKIN and timezone.now() >= links.checkin_expiry(reminder.checkin):
        return "The check-in's link had expired: phone the patient instead."
    if reminder.kind == Kind.INTAKE:
        if reminder.visit.scheduled_for <= timezone.now() or reminder.visit.locked:
            return "The visit has started."
        if getattr(reminder.visit, "intake", None) is not None:
            return "The intake was already recorded."
    if not _address(reminder):
        who = "the clinic" if reminder.kind == Kind.ALERT else "the patient"
        return f"No email address on file for {who}."
    return ""


def _address(reminder: Reminder) -> str:
    if reminder.kind == Kind.ALERT:
        return reminder.patient.clinic.email
    return reminder.patient.email


def _message(reminder: Reminder) -> EmailMessage:
    patient = reminder.patient
    context = {"patient": patient, "clinic": patient.clinic, "reminder": reminder}
    if reminder.kind == Kind.CHECKIN:
        context |= {
            "checkin": reminder.checkin,
            "url": links.checkin_url(reminder.checkin),
            "expires": links.checkin_expiry(reminder.checkin),
        }
    elif reminder.kind == Kind.INTAKE:
        context |= {"visit": reminder.visit, "url": links.intake_url(reminder.visit)}
    elif reminder.kind == Kind.PASSWORD:
        context |= {"first": reminder.key.endswith(":set"), "when": reminder.created_at}
    else:
        context |= {"alert": reminder.alert, "url": links.absolute("/patients/worklist/")}
    with timezone.override(patient.clinic.zone()):
        body = render_to_string(f"reminders/email/{reminder.kind}.txt", context)
    subject, _, body = body.strip().partition("\n")
    return EmailMessage(
        subject=subject.removeprefix("Subject:").strip(),
        body=body.strip() + "\n",
        to=[_address(reminder)],
    )


def _audit(reminder: Reminder, change: str, **details) -> None:
    record_event(
        action=Action.EXPORT if change == "sent" else Action.UPDATE,
        actor_username=ACTOR,
        clinic_id=reminder.patient.clinic_id,
        object_type="reminder",
        object_id=str(reminder.public_id),
        patient_id=reminder.patient.public_id,
        details={"change": change, "kind": reminder.kind, **details},
    )


def _close(reminder: Reminder, status: str, *, note: str = "", **fields) -> bool:
    """Finish a claimed send. Only a row still SENDING from this claim changes (a "sent"
    also replaces the FAILED a sweep wrote if the send outlasted REMINDER_STALE_SECONDS:
    the email did go out, and "Try again" must not send it twice). Audited only if it
    changed; returns whether it did."""
    claimed = Reminder.objects.filter(pk=reminder.pk, attempts=reminder.attempts)
    if status == Status.SENT:
        claimed = claimed.filter(status__in=[Status.SENDING, Status.FAILED])
    else:
        claimed = claimed.filter(status=Status.SENDING)
    with transaction.atomic():
        changed = claimed.update(
            status=status, last_error=note[:500], updated_at=timezone.now(), **fields
        )
        if changed:
            _audit(reminder, str(status), attempt=reminder.attempts, note=note[:200])
    return bool(changed)


def send_reminder(*, reminder_id: int, worker_id: str = "") -> str:
    """Claim, build and send one reminder; returns what happened (for the task result)."""
    now = timezone.now()
    claimed = Reminder.objects.filter(
        pk=reminder_id, status=Status.PENDING, send_after__lte=now
    ).update(
        status=Status.SENDING,
        claimed_by=worker_id[:64],
        claimed_at=now,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if not claimed:
        return "not due or already taken"
    reminder = Reminder.objects.select_related(
        "patient__clinic", "checkin__patient", "visit__patient", "alert"
    ).get(pk=reminder_id)
    reason = _not_needed(reminder)
    if reason:
        _close(reminder, Status.SKIPPED, note=reason)
        return "skipped"
    try:
        message = _message(reminder)
        message.send()
    except Exception as error:  # noqa: BLE001  any failure of the mail server is retried
        return _failed(reminder, f"{type(error).__name__}: {error}")
    _close(reminder, Status.SENT, sent_at=timezone.now(), to_address=_address(reminder))
    return "sent"


def _failed(reminder: Reminder, error: str) -> str:
    if reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
        _close(reminder, Status.FAILED, note=error)
        return "failed"
    later = timezone.now() + retry_delay(reminder.attempts)
    with transaction.atomic():
        Reminder.objects.filter(pk=reminder.pk, status=Status.SENDING).update(
            status=Status.PENDING,
            send_after=later,
            last_error=error[:500],
            updated_at=timezone.now(),
        )
        reminder.send_after = later
        _enqueue(reminder)
    return "retry"


def retry_now(*, reminder: Reminder, by, request=None) -> Reminder:
    """A person asks for a failed reminder to be tried again (after fixing the address)."""
    with transaction.atomic():
        changed = Reminder.objects.filter(pk=reminder.pk, status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, send_after=timezone.now(), updated_at=timezone.now()
        )
        if not changed:
            raise ReminderError("Only a reminder that failed can be tried again.")
        reminder.refresh_from_db()
        _enqueue(reminder)
        record_event(
            action=Action.UPDATE,
            request=request,
            actor=by,
            clinic_id=reminder.patient.clinic_id,
            object_type="reminder",
            object_id=str(reminder.public_id),
            patient_id=reminder.patient.public_id,
            details={"change": "retry", "kind": reminder.kind},
        )
    return reminder


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Repair the queue; run by ``taut worker`` at start and every minute.

    1. A reminder a worker claimed REMINDER_STALE_SECONDS ago and never finished is marked
       FAILED (not retried: the email may have gone out).
    2. A pending reminder overdue by a minute with no task waiting in the queue (lost, or
       pruned) is enqueued again (a duplicate would be harmless: only one claim can win).
    3. Open check-ins due from yesterday on that have no reminder get one (check-ins made
       before reminders existed, or by an import).
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.REMINDER_STALE_SECONDS)
    counts = {"stale": 0, "requeued": 0, "created": 0}
    for reminder in Reminder.objects.filter(status=Status.SENDING, claimed_at__lt=stale):
        counts["stale"] += _close(
            reminder,
            Status.FAILED,
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
            _enqueue(reminder)
        counts["requeued"] += 1
    since = timezone.localdate(now) - timedelta(days=1)
    reminded = Reminder.objects.filter(checkin__isnull=False).values("checkin_id")
    orphans = (
        CheckIn.objects.filter(completed_at__isnull=True, due_on__gte=since)
        .exclude(pk__in=reminded)
        .select_related("patient__clinic")
    )
    for checkin in orphans:
        if _queue(
            key=f"checkin:{checkin.public_id}",
            kind=Kind.CHECKIN,
            patient=checkin.patient,
            send_after=reminder_time(checkin.due_on, checkin.patient.clinic),
            checkin=checkin,
        ):
            counts["created"] += 1
    return counts
