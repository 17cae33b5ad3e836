"""Sending one reminder, at most once: run by the worker's task (``tasks.py``).

``send_reminder`` first moves the row from PENDING to SENDING with a conditional UPDATE,
which only one process can win, and only the winner talks to the mail server. A send that
raises goes back to PENDING with a later ``send_after`` (back-off) until
``REMINDER_MAX_ATTEMPTS``, then FAILED, for a person: the task puts the retry on the queue
(``Sent.retry_at``). A reminder left in SENDING by a worker that stopped mid-send is never
retried (the email may have gone out); the sweep marks it FAILED so the worklist shows it.

An email to a patient is written in their preferred language when Taut has it (English or
Spanish), else English; an alert to the clinic is in English (``email_language``).
"""

import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from taut import links
from taut.accounts.actors import Actor
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.languages import DEFAULT as DEFAULT_LANGUAGE
from taut.lib.languages import patient_language
from taut.reminders.models import Reminder

ACTOR = "taut worker"
Status = Reminder.Status
Kind = Reminder.Kind


@dataclass(frozen=True)
class Sent:
    """What became of a send: "sent", "skipped", "failed", "retry" (at ``retry_at``) or
    "not due or already taken"."""

    outcome: str
    retry_at: datetime | None = None


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: REMINDER_RETRY_SECONDS × 4^(n−1)."""
    return timedelta(seconds=settings.REMINDER_RETRY_SECONDS * 4 ** max(attempts - 1, 0))


def _not_needed(reminder: Reminder, *, now: datetime) -> str:
    """Why a claimed reminder should not go out at ``now`` ("" when it should)."""
    if reminder.kind == Kind.CHECKIN:
        assert reminder.checkin is not None  # a check-in reminder always names its check-in
        answered = reminder.checkin.completed_at
        if answered is not None and answered <= now:
            return "The check-in was answered before the reminder was due."
        if now >= links.checkin_expiry(reminder.checkin):
            return "The check-in's link had expired: phone the patient instead."
    if reminder.kind == Kind.INTAKE:
        assert reminder.visit is not None  # an intake reminder always names its visit
        if reminder.visit.scheduled_for <= now or reminder.visit.locked:
            return "The visit has started."
        if getattr(reminder.visit, "intake", None) is not None:
            return "The intake was already recorded."
    if reminder.kind == Kind.MOVED:
        assert reminder.visit is not None  # a notice always names its visit
        if reminder.visit.scheduled_for <= now or reminder.visit.locked:
            return "The visit has since been held, cancelled or missed."
        if reminder.key != f"moved:{reminder.visit.public_id}:{reminder.visit.version}":
            return "The visit was moved again: a newer notice tells the new time."
    if not _address(reminder):
        who = "the clinic" if reminder.kind == Kind.ALERT else "the patient"
        return f"No email address on file for {who}."
    return ""


def _address(reminder: Reminder) -> str:
    if reminder.kind == Kind.ALERT:
        return reminder.patient.clinic.email
    return reminder.patient.email


def email_language(reminder: Reminder) -> str:
    """The language an email is written in: the patient's preferred language when Taut has
    it (English or Spanish), else English; an email to the clinic is in English."""
    if reminder.kind == Kind.ALERT:
        return DEFAULT_LANGUAGE
    return patient_language(reminder.patient.preferred_language)


def public_page_url(clinic, language: str) -> str:
    """The clinic's public page about trigger point injections in ``language``, as a full
    URL; empty when the clinic has switched its page off (or has none yet)."""
    path = clinic.public_page_path(language)
    return links.absolute(path) if path else ""


def _message(reminder: Reminder) -> EmailMessage:
    patient = reminder.patient
    language = email_language(reminder)
    context: dict[str, Any] = {"patient": patient, "clinic": patient.clinic, "reminder": reminder}
    if reminder.kind == Kind.CHECKIN:
        context |= {
            "checkin": reminder.checkin,
            "url": links.checkin_url(reminder.checkin),
            "expires": links.checkin_expiry(reminder.checkin),
        }
    elif reminder.kind == Kind.INTAKE:
        context |= {
            "visit": reminder.visit,
            "url": links.intake_url(reminder.visit),
            "about_url": public_page_url(patient.clinic, language),
        }
    elif reminder.kind in (Kind.MOVED, Kind.CANCELLED):
        context |= {"visit": reminder.visit}
    elif reminder.kind == Kind.PASSWORD:
        context |= {"first": reminder.key.endswith(":set"), "when": reminder.created_at}
    else:
        context |= {"alert": reminder.alert, "url": links.absolute("/patients/worklist/")}
    with timezone.override(patient.clinic.zone()), translation.override(language):
        body: str = render_to_string(f"reminders/email/{reminder.kind}.txt", context)
    subject, _, body = body.strip().partition("\n")
    return EmailMessage(
        subject=subject.removeprefix("Subject:").strip(),
        body=body.strip() + "\n",
        to=[_address(reminder)],
    )


def _audit(reminder: Reminder, change: str, *, now: datetime, **details: Any) -> None:
    record_event(
        actor=Actor.system(ACTOR, now=now, clinic=reminder.patient.clinic),
        action=Action.EXPORT if change == "sent" else Action.UPDATE,
        patient=reminder.patient,
        obj=reminder,
        details={"change": change, "kind": reminder.kind, **details},
    )


def close(reminder: Reminder, status: str, *, now: datetime, note: str = "", **fields: Any) -> bool:
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
        changed = claimed.update(status=status, last_error=note[:500], updated_at=now, **fields)
        if changed:
            _audit(reminder, str(status), now=now, attempt=reminder.attempts, note=note[:200])
    return bool(changed)


def deliver_by_mail(message: EmailMessage) -> None:
    """Hand the message to the mail server (Django's default mailer)."""
    message.send()


def send_reminder(
    *,
    reminder_id: int,
    now: datetime,
    worker_id: str = "",
    deliver: Callable[[EmailMessage], None] = deliver_by_mail,
) -> Sent:
    """Claim, build and send one reminder at ``now``; returns what happened. ``deliver``
    hands the message over (the mail server; the demo's history passes its own)."""
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
        return Sent("not due or already taken")
    reminder = Reminder.objects.select_related(
        "patient__clinic", "checkin__patient", "visit__patient", "alert"
    ).get(pk=reminder_id)
    reason = _not_needed(reminder, now=now)
    if reason:
        close(reminder, Status.SKIPPED, now=now, note=reason)
        return Sent("skipped")
    try:
        deliver(_message(reminder))
    except Exception as error:  # noqa: BLE001  any failure of the mail server is retried
        return _failed(reminder, failure_text(error), now=now)
    close(reminder, Status.SENT, now=now, sent_at=now, to_address=_address(reminder))
    return Sent("sent")


def failure_text(error: Exception) -> str:
    """What staff read about a failed send: the server's answer in words, not a repr."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(
            f"{address}: {code} {_decoded(message)}"
            for address, (code, message) in error.recipients.items()
        )
        return f"The mail server refused the address ({answers})."
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: the mail server answered {error.smtp_code} {_decoded(error.smtp_error)}."
    return f"{type(error).__name__}: {error}"


def _decoded(message: bytes | str) -> str:
    return message.decode(errors="replace") if isinstance(message, bytes) else message


def _failed(reminder: Reminder, error: str, *, now: datetime) -> Sent:
    if reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
        close(reminder, Status.FAILED, now=now, note=error)
        return Sent("failed")
    later = now + retry_delay(reminder.attempts)
    Reminder.objects.filter(pk=reminder.pk, status=Status.SENDING).update(
        status=Status.PENDING, send_after=later, last_error=error[:500], updated_at=now
    )
    return Sent("retry", retry_at=later)
