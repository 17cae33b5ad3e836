"""The gate to appointment requests: what a visitor typed is patient data before it is a
patient, so staff reach it as they reach a chart.

``request_view(need)`` decorates a view taking ``request_id``: not signed in → login; a
request of another clinic, an expired one, or none → 404 (audited as refused, so other
clinics cannot learn a request exists); a role without ``need`` → 403 (audited). The view
receives the request, and every GET is audited as a view of it (each read, once).
"""

from functools import wraps

from django.http import Http404

from taut.accounts.access import AccessPolicy, actor_for, refuse, send_to_login
from taut.accounts.roles import Need, has_need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.public.models import AppointmentRequest

AUDIT_TYPE = AppointmentRequest.AUDIT_TYPE


def get_request_for_user(request, public_id, *, need: Need) -> AppointmentRequest:
    """The open or handled, unexpired request ``public_id`` of the user's clinic."""
    actor = actor_for(request)
    found = (
        AppointmentRequest.objects.select_related("clinic", "patient", "visit", "handled_by")
        .filter(public_id=public_id, expires_at__gt=actor.now)
        .first()
    )
    if found is None or found.clinic_id != request.user.clinic_id:
        record_event(
            actor=actor,
            action=Action.DENIED,
            object_type=AUDIT_TYPE,
            object_id=str(public_id),
            details={"need": str(need), "reason": "other_clinic" if found else "not_found"},
        )
        if found is not None:  # and in the request's clinic's log, for its lead
            record_event(
                actor=actor,
                action=Action.DENIED,
                object_type=AUDIT_TYPE,
                object_id=str(public_id),
                details={"need": str(need), "reason": "other_clinic"},
                clinic_id=found.clinic_id,
            )
        raise Http404("No such request")
    if not has_need(request.user, need):
        refuse(request, need=need, object_type=AUDIT_TYPE, object_id=str(public_id))
    return found


def request_view(need: Need):
    """A staff page about one appointment request (``request_id`` in the URL)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, request_id, *args, **kwargs):
            if not request.user.is_authenticated:
                return send_to_login(request)
            actor = actor_for(request)
            appointment_request = get_request_for_user(request, request_id, need=need)
            response = view(request, appointment_request, *args, **kwargs)
            if request.method == "GET" or response.status_code >= 400:
                # A page showing the request (a refused POST shows it again) is a read.
                record_event(
                    actor=actor,
                    action=Action.VIEW,
                    patient=appointment_request.patient,
                    obj=appointment_request,
                    clinic_id=appointment_request.clinic_id,
                )
            return response

        # A function attribute (read by the route inventory test), which typing does not model.
        wrapper.access_policy = AccessPolicy("staff", need)  # type: ignore[attr-defined]
        return wrapper

    return decorator
