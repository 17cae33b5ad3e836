"""Route access policies. Every URL pattern's view declares exactly one.

``public``: anyone (login page, health check).
``staff_view(need)``: a signed-in member of a clinic, holding ``need`` if given.
``taut.patients.access.patient_view(need)``: patient-scoped; goes through the patient gate.
``taut.portal.access.portal_view(purpose)``: a patient with a signed, expiring link.
``taut.fhir.access.fhir_api``: the FHIR API; the caller (session or SMART token) is checked
inside, through the patient gate.
A test walks the URL resolver and fails on any view without ``access_policy``.
"""

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from taut.accounts.actors import Actor
from taut.accounts.roles import Need, has_need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.http import client_ip


@dataclass(frozen=True)
class AccessPolicy:
    kind: str  # "public", "staff", "patient", "portal" or "fhir"
    need: Need | None = None


def actor_for(request: Any, *, fresh: bool = False) -> Actor:
    """The actor of this request: built once, by the first gate that asks, and kept on the
    request as ``request.actor`` for the view to hand to services. The moment of the
    request is read here, at the edge, and nowhere below it. ``fresh`` builds it again
    (after signing in, the actor is the user who signed in)."""
    actor = None if fresh else getattr(request, "actor", None)
    if actor is None:
        now, address = timezone.now(), client_ip(request)
        if request.user.is_authenticated:
            actor = Actor.staff(request.user, now=now, address=address)
        else:
            actor = Actor.anonymous("", now=now, address=address)
        request.actor = actor
    return actor


def public(view):
    view.access_policy = AccessPolicy("public")
    return view


def send_to_login(request):
    """Anonymous visitors go to the login page (htmx requests get a full redirect)."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(resolve_url("accounts:login"))
    return redirect_to_login(request.get_full_path())


def refuse(request, *, need: Need, object_type: str = "", object_id: str = "", patient=None):
    """Record a refused attempt and raise 403."""
    record_event(
        actor=actor_for(request),
        action=Action.DENIED,
        patient=patient,
        object_type=object_type,
        object_id=object_id,
        details={"need": str(need)},
    )
    raise PermissionDenied


def require_need(request, need: Need, **audit_object) -> None:
    if not has_need(request.user, need):
        refuse(request, need=need, **audit_object)


def staff_view(need: Need | None = None):
    """A page for signed-in clinic staff, optionally needing one capability."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return send_to_login(request)
            if not request.user.clinic_id:
                raise PermissionDenied  # superusers without a clinic use the admin only
            actor_for(request)
            if need is not None:
                require_need(request, need)
            return view(request, *args, **kwargs)

        # A function attribute (read by the route inventory test), which typing does not model.
        wrapper.access_policy = AccessPolicy("staff", need)  # type: ignore[attr-defined]
        return wrapper

    return decorator
