"""What a bearer token lets an API request do: the one call the FHIR views make.

``grant_for_request(request)`` reads the ``Authorization: Bearer`` header, finds DOT's
access token by its SHA-256 (Taut keeps no usable token), and answers a ``Grant``: the
Taut user the request acts as (so ``taut.patients.access`` gates apply unchanged), the
clinic, the app, the launch patient and the scopes. A token never reaches beyond its clinic
(the user's clinic is the app's), its user's role (``allows`` asks the role as it is now,
not as it was at consent) or its launch patient (``patient_id``: the views must keep to it).
"""

import hashlib
import uuid
from dataclasses import dataclass

from oauth2_provider.models import AccessToken

from taut.accounts.models import User
from taut.accounts.roles import Need, has_need
from taut.smart import scopes
from taut.smart.models import ConnectedApp, LaunchPatient
from taut.smart.scopes import Scopes

# The scope contexts each kind of grant reads through: a patient launch reads through its
# patient/ scopes and the user/ scopes (still only that patient: ``patient_id``).
KIND_CONTEXTS = {"patient": ("patient", "user"), "user": ("user",), "system": ("system",)}


@dataclass(frozen=True)
class Grant:
    """An API request's authority: who, for which clinic, through which app, for which
    patient, with which scopes."""

    user: User  # active, of ``clinic_id``, with a role (a backend's: its service user)
    clinic_id: int
    client_id: str
    app_name: str
    patient_id: uuid.UUID | None  # the launch patient: the token reaches only them
    scopes: Scopes
    kind: str  # "patient", "user" or "system"

    def allows(self, resource_type: str, interaction: str) -> bool:
        """Whether a scope of this grant's kind covers ``interaction`` ("read" or
        "search") on ``resource_type``, and the user's role may read that kind of record
        (clinical records need Taut's clinical read; the front desk reads demographics)."""
        if not self.scopes.allows(KIND_CONTEXTS[self.kind], resource_type, interaction):
            return False
        need = (
            Need.DEMOGRAPHICS_READ if scopes.is_demographic(resource_type) else Need.CLINICAL_READ
        )
        return has_need(self.user, need)


class InvalidToken(Exception):
    """A missing, expired, revoked or malformed bearer token, or one whose app was revoked
    or whose user can no longer act (answer 401 with ``WWW-Authenticate: Bearer``)."""


def bearer_token(request) -> str | None:
    """The token of an ``Authorization: Bearer`` header; None without one. A header of
    another scheme is no bearer token either (the API answers it 401)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


def grant_for_request(request) -> Grant | None:
    """None when the request has no ``Authorization: Bearer`` header; the Grant when the
    token is valid; raises ``InvalidToken`` otherwise."""
    token = bearer_token(request)
    if token is None:
        return None
    if not token or len(token) > 1000:
        raise InvalidToken("malformed token")
    checksum = hashlib.sha256(token.encode()).hexdigest()
    access = (
        AccessToken.objects.select_related(
            "user__clinic", "application__taut_app__service_user__clinic"
        )
        .filter(token_checksum=checksum)
        .first()
    )
    if access is None or access.is_expired():
        raise InvalidToken("unknown or expired token")
    return grant_for_access(access)


def grant_for_access(access: AccessToken) -> Grant:
    """The grant of a stored access token (not yet checked for expiry)."""
    app: ConnectedApp | None = getattr(access.application, "taut_app", None)
    if app is None or not app.active:
        raise InvalidToken("app revoked")
    granted = scopes.parse(access.scope)
    if access.user is None:  # client credentials: the backend service's own user
        user, kind, patient_id = app.service_user, "system", None
    else:
        launch = LaunchPatient.objects.filter(access_token=access).values("patient__public_id")
        patient_id = launch[0]["patient__public_id"] if launch else None
        user, kind = access.user, "patient" if patient_id else "user"
    if user is None or not user.is_active or user.clinic_id != app.clinic_id or not user.role:
        raise InvalidToken("the token's user can no longer act for this clinic")
    return Grant(
        user=user,
        clinic_id=app.clinic_id,
        client_id=app.client_id,
        app_name=app.name,
        patient_id=patient_id,
        scopes=granted,
        kind=kind,
    )
