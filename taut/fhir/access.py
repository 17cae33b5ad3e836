"""Who is calling the FHIR API, and what they may read.

A caller is a signed-in member of staff (Taut's session, from the browser) or, with a
SMART bearer token, an app acting as one (``taut.smart``). Either way the patient gate
(``taut.patients.access``) applies unchanged: the caller's clinic, their role's needs, and
for a patient-launch token only its patient. Refusals are FHIR OperationOutcomes.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from taut.accounts.access import AccessPolicy, actor_for
from taut.accounts.roles import Need, has_need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.fhir import registry
from taut.smart.grants import InvalidToken, grant_for_request


class Unauthenticated(Exception):
    """No session and no valid token: 401 with a ``WWW-Authenticate: Bearer`` challenge."""


@dataclass(frozen=True)
class Caller:
    user: Any  # the Taut user the request acts as (request.user)
    client_id: str = ""  # the app's client id; "" for Taut's own session
    patient_id: uuid.UUID | None = None  # a patient-launch token reaches only this patient
    allows: Callable[[str, str], bool] = lambda resource_type, interaction: True


def caller_for(request) -> Caller:
    """The caller of this request, with ``request.user`` set to whom it acts as: the app's
    user for a SMART token (its scopes in ``allows``, its launch patient), else the
    signed-in member of staff. A token that is not valid is refused, never ignored."""
    try:
        grant = grant_for_request(request)
    except InvalidToken as error:
        raise Unauthenticated(f"The access token is not valid ({error}).") from None
    if grant is not None:
        request.user = grant.user
        actor_for(request, fresh=True)  # the token's user, not the session's
        return Caller(
            user=grant.user,
            client_id=grant.client_id,
            patient_id=grant.patient_id,
            allows=grant.allows,
        )
    if not request.user.is_authenticated:
        raise Unauthenticated("Sign in, or send a SMART access token.")
    return Caller(user=request.user)


def may(caller: Caller, resource_type: str, interaction: str, need: Need) -> bool:
    """Whether the token's scopes and the user's role both cover ``resource_type``."""
    return caller.allows(resource_type, interaction) and has_need(caller.user, need)


def readable(caller: Caller) -> frozenset[str]:
    """The served types the caller may search: scopes and role both (``$everything``,
    bulk export)."""
    kinds = registry.KINDS.items()  # read at the call: tests replace the table
    return frozenset(n for n, kind in kinds if may(caller, n, "search", kind.need))


def require(request, caller: Caller, *, resource_type: str, interaction: str, need: Need):
    """Refuse (403, audited) a type the token's scopes or the user's role do not cover."""
    if not may(caller, resource_type, interaction, need):
        record_event(
            actor=actor_for(request),
            action=Action.DENIED,
            object_type=resource_type,
            details={"api": "fhir", "need": str(need), "client": caller.client_id,
                     "interaction": interaction},
        )  # fmt: skip
        raise PermissionDenied(f"Not allowed to {interaction} {resource_type}.")


def patient_limit(caller: Caller, requested: uuid.UUID | None) -> uuid.UUID | None:
    """The one patient a search may reach: the token's launch patient, or the patient a
    ``patient=`` parameter names; a different patient than the token's is a 404."""
    if caller.patient_id is None:
        return requested
    if requested is not None and requested != caller.patient_id:
        raise Http404("No such patient")
    return caller.patient_id


def fhir_api(view):
    """Mark a FHIR API view (its callers are checked by ``caller_for`` inside)."""
    view.access_policy = AccessPolicy("fhir")
    return view
