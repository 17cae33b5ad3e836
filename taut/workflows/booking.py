"""Booking a visit: the visit (``visits``) and the pre-visit intake email (``reminders``)."""

from datetime import datetime

from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.models import User
from taut.patients.models import Patient
from taut.reminders import services as reminders
from taut.visits.models import Visit
from taut.visits.services import visit as visits


def book_visit(
    *, patient: Patient, scheduled_for: datetime, clinician: User | None = None, actor: Actor
) -> Visit:
    """Book the visit and, for a visit ahead, email the patient the pre-visit intake link."""
    with transaction.atomic():
        visit = visits.schedule_visit(
            patient=patient, scheduled_for=scheduled_for, clinician=clinician, actor=actor
        )
        reminders.queue_intake_link(visit=visit, now=actor.now)
    return visit
