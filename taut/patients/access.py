"""The patient gate: every read or write of patient data comes through here.

Checks, in order: signed in (else to login), member of the patient's clinic
(else 404, so other clinics cannot learn a patient exists), role grants the need
(else 403). Refused attempts are audited. Views never query patient-scoped
models themselves; they call these functions or use ``patient_view``.
"""

from functools import wraps

from django.http import Http404

from taut.accounts.access import AccessPolicy, refuse, send_to_login
from taut.accounts.roles import Need, has_need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.patients.models import Patient


def patients_for_user(user, *, need: Need = Need.DEMOGRAPHICS_READ):
    """The patients ``user`` may list (none if the role lacks ``need``)."""
    if not has_need(user, need):
        return Patient.objects.none()
    return Patient.objects.filter(clinic_id=user.clinic_id)


def get_patient_for_user(request, public_id, *, need: Need) -> Patient:
    """The patient with ``public_id`` if the signed-in user may do ``need`` to them."""
    user = request.user
    patient = Patient.objects.select_related("clinic").filter(public_id=public_id).first()
    if patient is None:
        raise Http404("No such patient")
    if not user.clinic_id or patient.clinic_id != user.clinic_id:
        record_event(
            action=Action.DENIED,
            request=request,
            object_type="patient",
            object_id=str(public_id),
            details={"need": str(need), "reason": "other_clinic"},
        )
        raise Http404("No such patient")
    if not has_need(user, need):
        refuse(
            request, need=need, object_type="patient", object_id=str(public_id),
            patient_id=patient.public_id,
        )  # fmt: skip
    return patient


def get_record_for_user(request, model, public_id, *, patient: Patient, need: Need):
    """A record of ``model`` that belongs to ``patient`` (already through the gate).

    A record of another patient is a 404 even when the user could see that
    patient: URLs must agree on whose record it is.
    """
    if not has_need(request.user, need):
        refuse(request, need=need, object_type=model._meta.model_name, object_id=str(public_id),
               patient_id=patient.public_id)  # fmt: skip
    lookup = {"public_id": public_id, model.PATIENT_PATH: patient}
    record = model.objects.filter(**lookup).first()
    if record is None:
        raise Http404("No such record")
    return record


def audit_view(request, patient: Patient, *, object_type="patient", object_id=None) -> None:
    record_event(
        action=Action.VIEW,
        request=request,
        object_type=object_type,
        object_id=str(object_id or patient.public_id),
        patient_id=patient.public_id,
    )


def patient_view(need: Need):
    """Decorate a view taking ``patient_id``: it receives ``patient`` instead.

    GET requests are audited as views of the patient's record.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, patient_id, *args, **kwargs):
            if not request.user.is_authenticated:
                return send_to_login(request)
            patient = get_patient_for_user(request, patient_id, need=need)
            if request.method == "GET":
                audit_view(request, patient)
            return view(request, patient, *args, **kwargs)

        wrapper.access_policy = AccessPolicy("patient", need)
        return wrapper

    return decorator
