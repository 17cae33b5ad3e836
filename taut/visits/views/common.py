"""What every visit view needs: the visit through the gate, the page header, and one way
to show a refused write."""

from typing import Any

from django.contrib import messages

from taut.accounts.roles import Need, has_need
from taut.lib.refusals import Refused, status_for
from taut.patients.access import get_record_for_user
from taut.patients.models import Patient
from taut.patients.queries import load_records
from taut.visits import queries
from taut.visits.allergy_queries import safety_strip
from taut.visits.models import Visit


def get_visit(request: Any, patient: Patient, visit_id: Any, *, need: Need) -> Visit:
    """The patient's visit (the patient already came through the gate) with its records
    (``queries.visits_with_records``), or 404. The visit's patient is the gate's, with
    their allergies and medicines read once for the page (``load_records``)."""
    visits = queries.visits_with_records()
    visit = get_record_for_user(request, Visit, visit_id, patient=patient, need=need,
                                queryset=visits)  # fmt: skip
    visit.patient = load_records(patient)
    return visit


def refused(request: Any, error: Refused) -> int:
    """Show a refused write that no form field owns (a stale version, a closed visit) at
    the top of the page, and return the status to answer with (409, 403 or 400)."""
    messages.error(request, str(error))
    return status_for(error)


def visit_context(request: Any, visit: Visit, **extra: Any) -> dict[str, Any]:
    """The header every visit page shows: patient, state, steps and what is missing."""
    allowed, why = queries.procedure_gate(visit)
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
        **safety_strip(visit.patient),
        **extra,
    }


def confirmed(request: Any) -> bool:
    """Whether a post comes from a confirm step (the page showed its summary first)."""
    return request.POST.get("confirmed") == "yes"


def resubmitted(request: Any) -> list[tuple[str, str]]:
    """The fields of the form just posted, for a confirm step to post again unchanged (its
    ``version`` among them: a visit changed meanwhile is refused as a conflict)."""
    skip = {"csrfmiddlewaretoken", "confirmed"}
    return [(k, v) for k in request.POST if k not in skip for v in request.POST.getlist(k)]
