"""Recording a check-in: the answers and any alerts (``aftercare``), and an email to the
clinic's address for each alert raised (``reminders``), and the day the next-step decision
falls due computed again from the new scores (``outcomes``), in one transaction."""

from collections.abc import Iterable
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
    return record_checkins(answered=[(checkin, answers, actor)])


def record_checkins(*, answered: Iterable[tuple[CheckIn, dict[str, Any], Actor]]) -> list[Alert]:
    """``record_checkin`` for each (check-in, answers, actor) in turn, in one transaction,
    with each patient's next-step day computed once, after their last check-in (as of that
    call's moment): the same rows as one call each, without computing the day again for
    every answer in between (the demo records weeks of calls at once)."""
    alerts: list[Alert] = []
    last: dict[int, tuple[CheckIn, Actor]] = {}
    with transaction.atomic():
        for checkin, answers, actor in answered:
            raised = aftercare.record_checkin(checkin=checkin, answers=answers, actor=actor)
            for alert in raised:
                reminders.queue_alert_email(alert=alert, now=actor.now)
            alerts += raised
            last[checkin.patient_id] = (checkin, actor)
        for checkin, actor in last.values():
            next_steps.refresh_next_step_due(patient=checkin.patient, now=actor.now)
    return alerts
