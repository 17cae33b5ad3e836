"""Booking, moving and cancelling a visit (``visits``) and the emails each sends the patient
(``reminders``): the pre-visit intake link, the "your visit moved" and "cancelled" notices.

Each email is queued in the change's own transaction, so a refused change sends nothing.
"""

from datetime import datetime

from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.models import User
from taut.patients.models import Patient
from taut.reminders import services as reminders
from taut.visits.models import Visit
from taut.visits.services import booking as visits


def book_visit(
    *,
    patient: Patient,
    scheduled_for: datetime,
    clinician: User | None = None,
    kind: str = Visit.Kind.NEW_ASSESSMENT,
    duration_minutes: int | None = None,
    override: bool = False,
    actor: Actor,
) -> Visit:
    """Book the visit and, for a visit ahead, email the patient the pre-visit intake link."""
    with transaction.atomic():
        visit = visits.schedule_visit(
            patient=patient,
            scheduled_for=scheduled_for,
            clinician=clinician,
            kind=kind,
            duration_minutes=duration_minutes,
            override=override,
            actor=actor,
        )
        reminders.queue_intake_link(visit=visit, now=actor.now)
    return visit


def move_visit(
    *,
    visit: Visit,
    version: int | str | None,
    scheduled_for: datetime,
    clinician: User | None,
    duration_minutes: int,
    override: bool = False,
    actor: Actor,
) -> Visit:
    """Move the visit and email the patient its new time (and the intake link if it had
    none yet, for a visit moved from the past or booked before links were sent)."""
    with transaction.atomic():
        visit = visits.reschedule_visit(
            visit=visit,
            version=version,
            scheduled_for=scheduled_for,
            clinician=clinician,
            duration_minutes=duration_minutes,
            override=override,
            actor=actor,
        )
        reminders.queue_visit_moved(visit=visit, now=actor.now)
        reminders.queue_intake_link(visit=visit, now=actor.now)
    return visit


def cancel_visit(*, visit: Visit, version: int | str | None, reason: str, actor: Actor) -> Visit:
    """Cancel the visit and tell the patient."""
    with transaction.atomic():
        visit = visits.cancel_visit(visit=visit, version=version, reason=reason, actor=actor)
        reminders.queue_visit_cancelled(visit=visit, now=actor.now)
    return visit
