"""The patient gate: every read or write of patient data comes through here.

Checks, in order: signed in (else to login), member of the patient's clinic
(else 404, so other clinics cannot learn a patient exists), role grants the need
(else 403). Refused attempts are audited. Views never query patient-scoped
models themselves; they call these functions or use ``patient_view``.

The gate builds the request's actor (``taut.accounts.access.actor_for``) and audits each
GET once, after the view: the event names the record the view fetched through
``get_record_for_user`` (the visit, the note, the drawing…), or the patient when it
fetched none.
"""

from functools import wraps

from django.http import Http404

from taut.accounts.access import AccessPolicy, actor_for, refuse, send_to_login
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
            actor=actor_for(request),
            action=Action.DENIED,
            object_type="patient",
            object_id=str(public_id),
            details={"need": str(need), "reason": "other_clinic"},
        )
        # And in the patient's clinic's log, so its lead sees probes at its patients.
        record_event(
            actor=actor_for(request),
            action=Action.DENIED,
            patient=patient,
            details={"need": str(need), "reason": "other_clinic"},
        )
        raise Http404("No such patient")
    if not has_need(user, need):
        refuse(
            request, need=need, object_type="patient", object_id=str(public_id),
            patient=patient,
        )  # fmt: skip
    return patient


def get_record_for_user(request, model, public_id, *, patient: Patient, need: Need, queryset=None):
    """A record of ``model`` that belongs to ``patient`` (already through the gate), read
    from ``queryset`` when given (``model``'s rows with what the page shows joined or
    prefetched: one read instead of a check and a second fetch).

    A record of another patient is a 404 even when the user could see that
    patient: URLs must agree on whose record it is. The record becomes what this
    request's view audit names (``seen``).
    """
    if not has_need(request.user, need):
        refuse(request, need=need, object_type=model._meta.model_name, object_id=str(public_id),
               patient=patient)  # fmt: skip
    lookup = {"public_id": public_id, model.PATIENT_PATH: patient}
    records = model.objects.all() if queryset is None else queryset
    record = records.filter(**lookup).first()
    if record is None:
        raise Http404("No such record")
    if model.PATIENT_PATH == "patient":
        record.patient = patient  # the gate's, with their clinic: no second read
    seen(request, record)
    return record


def seen(request, record, *, as_type: str = "") -> None:
    """Name ``record`` as what this GET showed, for its audit event (``as_type`` names a
    part of it, e.g. the visit's "note")."""
    request.seen = (record, as_type)


def audited(request) -> None:
    """This GET's view wrote its own audit event for what it showed (a download records
    its ``print``): the gate writes no ``view`` event on top of it, so the request commits
    one audit row, not two (docs/decisions/0019-pdfs-rendered-once.md)."""
    request.audited = True


def patient_view(need: Need):
    """Decorate a view taking ``patient_id``: it receives ``patient`` instead.

    GET requests are audited once, as views of the record the view fetched (or of the
    patient), with the actor the gate built; a view that recorded its own event for the
    request (``audited``) is not recorded again.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, patient_id, *args, **kwargs):
            if not request.user.is_authenticated:
                return send_to_login(request)
            actor_for(request)  # built once, for the view to hand to services
            patient = get_patient_for_user(request, patient_id, need=need)
            response = view(request, patient, *args, **kwargs)
            if request.method == "GET" and not getattr(request, "audited", False):
                record, as_type = getattr(request, "seen", (None, ""))
                record_event(
                    actor=actor_for(request),
                    action=Action.VIEW,
                    patient=patient,
                    obj=record,
                    object_type=as_type,
                )
            return response

        # A function attribute (read by the route inventory test), which typing does not model.
        wrapper.access_policy = AccessPolicy("patient", need)  # type: ignore[attr-defined]
        return wrapper

    return decorator
