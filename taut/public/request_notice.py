"""The email that tells a clinic a new appointment request came: sent by ``taut worker``
through the same database queue and mailer as the reminders, at most once.

It names nobody: no name, no phone, nothing the visitor typed, and its one link is the
staff list of requests (no patient data in it). Staff read the request in Taut, where the
read is audited. A send is claimed with a conditional UPDATE (only one worker wins), retried
with the reminders' back-off, and left FAILED after REMINDER_MAX_ATTEMPTS: the request is on
the staff list whatever becomes of its email.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse

from taut import links
from taut.accounts.actors import Actor
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.public.models import AppointmentRequest
from taut.reminders.sending import deliver_by_mail, retry_delay

ACTOR = "taut worker"
SUBJECT = "Taut: a new appointment request"
Notice = AppointmentRequest.Notice


@dataclass(frozen=True)
class Noticed:
    """What became of a send: "sent", "skipped", "failed", "retry" (at ``retry_at``) or
    "not due or already taken"."""

    outcome: str
    retry_at: datetime | None = None


def message_for(appointment_request: AppointmentRequest) -> EmailMessage:
    """The email to the clinic: the clinic's name and a link to the list, nothing else."""
    clinic = appointment_request.clinic
    body = render_to_string(
        "public/email/new_request.txt",
        {"clinic": clinic, "url": links.absolute(reverse("public:request_list"))},
    )
    return EmailMessage(subject=SUBJECT, body=body.strip() + "\n", to=[clinic.email])


def _finish(appointment_request: AppointmentRequest, status: str, *, now: datetime) -> None:
    AppointmentRequest.objects.filter(pk=appointment_request.pk, notice=Notice.SENDING).update(
        notice=status
    )
    record_event(
        actor=Actor.system(ACTOR, now=now, clinic=appointment_request.clinic),
        action=Action.EXPORT if status == Notice.SENT else Action.UPDATE,
        obj=appointment_request,
        clinic_id=appointment_request.clinic_id,
        details={"change": f"notice {status}", "attempt": appointment_request.notice_attempts},
    )


def send_notice(
    *,
    request_id: int,
    now: datetime,
    deliver: Callable[[EmailMessage], None] = deliver_by_mail,
) -> Noticed:
    """Claim and send the clinic's email about one request at ``now``."""
    claimed = AppointmentRequest.objects.filter(pk=request_id, notice=Notice.PENDING).update(
        notice=Notice.SENDING, notice_attempts=F("notice_attempts") + 1
    )
    if not claimed:
        return Noticed("not due or already taken")
    appointment_request = AppointmentRequest.objects.select_related("clinic").get(pk=request_id)
    if not appointment_request.clinic.email:
        _finish(appointment_request, Notice.SKIPPED, now=now)
        return Noticed("skipped")
    try:
        deliver(message_for(appointment_request))
    except Exception:  # noqa: BLE001  any failure of the mail server is retried
        if appointment_request.notice_attempts >= settings.REMINDER_MAX_ATTEMPTS:
            _finish(appointment_request, Notice.FAILED, now=now)
            return Noticed("failed")
        AppointmentRequest.objects.filter(pk=request_id, notice=Notice.SENDING).update(
            notice=Notice.PENDING
        )
        return Noticed("retry", retry_at=now + retry_delay(appointment_request.notice_attempts))
    _finish(appointment_request, Notice.SENT, now=now)
    return Noticed("sent")
