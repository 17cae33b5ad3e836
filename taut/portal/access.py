"""The portal's one gate: every portal view is a ``portal_view(purpose)``.

The gate reads the token, refuses with a plain message (and no data) when it is invalid,
expired, already used or closed, loads the one patient and record it names, and audits
every request (views as VIEW, refusals as DENIED) with the patient as the subject. Views
receive a ``PortalAccess`` and never look a patient up themselves.
"""

from dataclasses import dataclass
from functools import wraps

from django.shortcuts import render

from taut.accounts.access import AccessPolicy
from taut.aftercare.models import CheckIn
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.patients.models import Patient
from taut.portal.links import Link, LinkRefused, Purpose, read_token
from taut.visits.models import Visit

ACTOR = "patient (portal)"


@dataclass(frozen=True)
class PortalAccess:
    link: Link
    token: str
    patient: Patient
    record: object  # the CheckIn, Visit or Patient the link opens


def audit(request, access: PortalAccess | None, *, action: Action, details=None, patient=None):
    patient = access.patient if access else patient
    record_event(
        action=action,
        request=request,
        actor_username=ACTOR,
        clinic_id=patient.clinic_id if patient else None,
        object_type=f"portal_{access.link.purpose}" if access else "portal",
        object_id=access.link.object_id if access else "",
        patient_id=patient.public_id if patient else None,
        details={"via": "portal", **(details or {})},
    )


def _record(link: Link, patient: Patient):
    """The record the link opens, only if it belongs to the link's patient."""
    if link.purpose is Purpose.CHECKIN:
        record = (
            CheckIn.objects.filter(public_id=link.object_id, patient=patient)
            .select_related("visit", "patient")
            .first()
        )
        if record is not None and record.completed:
            raise LinkRefused("used")
        return record
    if link.purpose is Purpose.INTAKE:
        record = Visit.objects.filter(public_id=link.object_id, patient=patient).first()
        if record is not None and getattr(record, "intake", None) is not None:
            raise LinkRefused("used")
        if record is not None and record.locked:
            raise LinkRefused("closed")
        return record
    return patient if str(patient.public_id) == link.object_id else None


def resolve(token: str, purpose: Purpose) -> PortalAccess:
    """The access a token grants, or ``LinkRefused``."""
    link = read_token(token, purpose=purpose)
    patient = Patient.objects.filter(public_id=link.patient_id).select_related("clinic").first()
    if patient is None:
        raise LinkRefused("invalid")
    record = _record(link, patient)
    if record is None:
        raise LinkRefused("invalid")
    return PortalAccess(link=link, token=token, patient=patient, record=record)


def refused(request, error: LinkRefused):
    status = 410 if error.reason in ("expired", "used", "closed") else 404
    return render(request, "portal/refused.html", {"message": error.message}, status=status)


def portal_view(purpose: Purpose):
    """Decorate a view taking ``token``: it receives ``access`` (a ``PortalAccess``)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, token, *args, **kwargs):
            try:
                access = resolve(token, purpose)
            except LinkRefused as error:
                audit(
                    request,
                    None,
                    action=Action.DENIED,
                    details={"purpose": str(purpose), "reason": error.reason},
                )
                return refused(request, error)
            if request.method == "GET":
                audit(request, access, action=Action.VIEW)
            return view(request, access, *args, **kwargs)

        wrapper.access_policy = AccessPolicy("portal")
        return wrapper

    return decorator
