from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from taut.audit.models import Action
from taut.visits.models import Visit
from taut.visits.services.common import Blocked, audited, touch_visit

State = Visit.State


def schedule_visit(*, patient, scheduled_for, clinician=None, by, request=None) -> Visit:
    visit = Visit(
        patient=patient,
        scheduled_for=scheduled_for,
        clinician=clinician,
        recorded_by=by,
        updated_by=by,
    )
    visit.full_clean()
    with transaction.atomic():
        visit.save(force_insert=True)
        audited(
            action=Action.CREATE,
            request=request,
            by=by,
            visit=visit,
            record=visit,
            object_type="visit",
        )
        # Later apps' work at booking (e.g. emailing the pre-visit intake link).
        for hook in settings.AFTER_BOOKING:
            import_string(hook)(visit=visit, by=by, request=request)
    return visit


def end_visit(*, visit: Visit, version, reason: str, by, request=None) -> Visit:
    """End a visit without a procedure (it can't be ended once sites are documented)."""
    if reason not in Visit.EndReason.values:
        raise Blocked("Choose why the visit ends without a procedure.")
    if visit.state == State.PROCEDURE_DOCUMENTED:
        raise Blocked("Sites are documented: sign the note instead, or remove the sites first.")
    with transaction.atomic():
        touch_visit(
            visit=visit,
            version=version,
            by=by,
            request=request,
            change=f"ended ({reason})",
            state=State.ENDED,
        )
        Visit.objects.filter(pk=visit.pk).update(end_reason=reason)
    visit.refresh_from_db()
    return visit


def attach_drawing(*, visit: Visit, drawing, version, by, request=None) -> Visit:
    if drawing.patient_id != visit.patient_id:
        raise Blocked("That drawing belongs to another patient.")
    with transaction.atomic():
        touch_visit(visit=visit, version=version, by=by, request=request, change="pain drawing")
        Visit.objects.filter(pk=visit.pk).update(drawing=drawing)
    visit.refresh_from_db()
    return visit
