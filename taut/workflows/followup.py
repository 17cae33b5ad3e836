"""Recording a check-in: the answers and any alerts (``aftercare``), and an email to the
clinic's address for each alert raised (``reminders``), and the day the next-step decision
falls due computed again from the new scores (``outcomes``), in one transaction."""

from typing import Any

from django.db import transaction

from taut.accounts.actors import Actor
from taut.aftercare import services as aftercare
from taut.aftercare.models import Alert, CheckIn
from taut.outcomes import services as next_steps
from taut.reminders import services as reminders


def record_checkin(*, checkin: CheckIn, answers: dict[str, Any], actor: Actor) -> list[Alert]:
    """Record the answers (by staff on the phone, or the patient in the portal); email the
    clinic about each warning sign at once. Returns the alerts raised."""
    with transaction.atomic():
        alerts = aftercare.record_checkin(checkin=checkin, answers=answers, actor=actor)
        for alert in alerts:
            reminders.queue_alert_email(alert=alert, now=actor.now)
        next_steps.refresh_next_step_due(patient=checkin.patient, now=actor.now)
    return alerts
