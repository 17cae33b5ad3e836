"""Booking a visit and ending it without a procedure."""

from datetime import datetime

from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.models import User
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.patients.models import Patient
from taut.visits.models import Visit
from taut.visits.services.common import Blocked, require, touch_visit

State = Visit.State


def schedule_visit(
    *, patient: Patient, scheduled_for: datetime, clinician: User | None = None, actor: Actor
) -> Visit:
    """Book a visit. What else booking does (the pre-visit intake email) is composed in
    ``taut.workflows.booking``; this writes the visit alone."""
    visit = Visit(
        patient=patient,
        scheduled_for=scheduled_for,
        clinician=clinician,
        recorded_by=actor.user,
        recorded_at=actor.now,
        updated_by=actor.user,
        updated_at=actor.now,
    )
    visit.full_clean()
    require(actor, Need.DEMOGRAPHICS_WRITE, "Your role does not book visits.", visit=visit)
    with transaction.atomic():
        visit.save(force_insert=True)
        record_event(actor=actor, action=Action.CREATE, patient=patient, obj=visit)
    return visit


def end_visit(*, visit: Visit, version: int | str | None, reason: str, actor: Actor) -> Visit:
    """End a visit without a procedure (it can't be ended once sites are documented)."""
    require(actor, Need.CLINICAL_WRITE, "Only a clinician ends a visit.", visit=visit)
    if reason not in Visit.EndReason.values:
        raise Blocked("Choose why the visit ends without a procedure.")
    if visit.state == State.PROCEDURE_DOCUMENTED:
        raise Blocked("Sites are documented: sign the note instead, or remove the sites first.")
    with transaction.atomic():
        touch_visit(
            visit=visit, version=version, actor=actor, change=f"ended ({reason})", state=State.ENDED
        )
        Visit.objects.filter(pk=visit.pk).update(end_reason=reason)
    visit.refresh_from_db()
    return visit
