"""A patient's pre-visit intake: the answers and drawing (``visits``), an alert for each
answer that needs a call (``aftercare``), and an email to the clinic's address for each
alert (``reminders``), in one transaction."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from taut.accounts.actors import Actor
from taut.aftercare.intake_alerts import raise_intake_alerts
from taut.aftercare.models import Alert
from taut.drawings.services import Mark
from taut.reminders import services as reminders
from taut.visits.models import Intake, Visit
from taut.visits.services import intake as intakes


def record_patient_intake(
    *,
    visit: Visit,
    data: dict[str, Any],
    goals: Iterable[str],
    marks: Iterable[Mark],
    no_pain: bool,
    actor: Actor,
) -> tuple[Intake, list[Alert]]:
    """Save the patient's intake and drawing; raise the alerts their answers call for (an
    emergency as urgent) and email the clinic about each. Returns the intake and alerts."""
    with transaction.atomic():
        intake = intakes.record_patient_intake(
            visit=visit, data=data, goals=goals, marks=marks, no_pain=no_pain, actor=actor
        )
        alerts = raise_intake_alerts(intake=intake, actor=actor)
        for alert in alerts:
            reminders.queue_alert_email(alert=alert, now=actor.now)
    return intake, alerts
