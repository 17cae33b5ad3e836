"""Alerts from the patient's own pre-visit intake: a red flag the patient reports before the
visit reaches the clinic's worklist at once, an emergency as urgent.

Which answers raise an alert, and how urgent, is ``taut.clinical.urgency`` (the same tiers
the patient's thank-you page is worded from); nothing here re-states it. The email to the
clinic is queued by ``taut.workflows.intake``.
"""

from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.aftercare.models import Alert
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import urgency
from taut.lib.refusals import NotAllowed
from taut.visits.models import Intake


def intake_assessment(intake: Intake) -> urgency.Assessment:
    """The urgency of what the intake reports (its red-flag "yes" answers and infection or
    broken skin at the site)."""
    return urgency.assess(
        urgency.intake_reports(
            dict(intake.red_flags or {}), site_infection=intake.site_infection_or_broken_skin
        )
    )


def raise_intake_alerts(*, intake: Intake, actor: Actor) -> list[Alert]:
    """Raise an alert on the clinic's worklist for each intake answer that needs a call
    (``urgency.alert_severity``: urgent for an emergency, soon for a same-day or
    next-working-day call), most urgent first; return them. The alert names the visit and
    no check-in. ``actor`` is the patient in the portal (their own intake only) or staff
    who may record nursing work. Audited."""
    visit = intake.visit
    if actor.patient_id is not None:
        if actor.patient_id != visit.patient_id:
            raise NotAllowed("A patient reports their own intake only.")
    else:
        actor.require(Need.NURSING_WRITE, "Your role does not raise alerts.")
        if actor.clinic_id != visit.patient.clinic_id:
            raise NotAllowed("This patient belongs to another clinic.")
    assessment = intake_assessment(intake)
    created = []
    with transaction.atomic():
        for rating in assessment.ratings:
            severity = urgency.alert_severity(rating.tier)
            if severity is None:
                continue
            alert = Alert(
                patient=visit.patient,
                visit=visit,
                checkin=None,
                code=rating.code,
                severity=str(severity),
                text=f"Pre-visit intake: {rating.why} Patient told: {rating.tier.label}.",
                source=rating.source[:300],
                rule_version=urgency.VERSION,
                raised_at=actor.now,
            )
            alert.full_clean()
            alert.save()
            record_event(
                actor=actor,
                action=Action.CREATE,
                patient=visit.patient,
                obj=alert,
                details={"code": alert.code, "severity": alert.severity, "from": "intake"},
            )
            created.append(alert)
    return created
