"""What every visit view needs: the visit through the gate, and error handling."""

from django.http import Http404

from taut.accounts.roles import Need, has_need
from taut.visits import queries
from taut.visits.services.intake import procedure_gate


def get_visit(request, patient, visit_id, *, need: Need):
    """The patient's visit (the patient already came through the gate), or 404."""
    from taut.patients.access import get_record_for_user
    from taut.visits.models import Visit

    get_record_for_user(request, Visit, visit_id, patient=patient, need=need)
    visit = queries.visit_with_records(visit_id, patient)
    if visit is None:
        raise Http404
    return visit


def visit_context(request, visit, **extra) -> dict:
    """The header every visit page shows: patient, state, steps and what is missing."""
    allowed, why = procedure_gate(visit)
    intake = getattr(visit, "intake", None)
    procedure = getattr(visit, "procedure", None)
    steps = [
        ("Intake and screening", "visits:intake", intake is not None),
        ("Exam", "visits:exam", visit.findings.all().exists()),
        ("Procedure", "visits:procedure", bool(procedure and procedure.sites.exists())),
        ("Note", "visits:note", visit.state == visit.State.SIGNED),
    ]
    user = request.user
    return {
        "patient": visit.patient,
        "visit": visit,
        "steps": steps,
        "gate_open": allowed,
        "gate_reason": why,
        "can_nurse": has_need(user, Need.NURSING_WRITE) and not visit.locked,
        "can_clinical": has_need(user, Need.CLINICAL_WRITE) and not visit.locked,
        "can_sign": has_need(user, Need.SIGN),
        "intake_record": intake,
        **extra,
    }
