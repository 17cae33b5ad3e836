"""SMART App Launch 2.0 on django-oauth-toolkit: Taut's validator and scopes backend.

DOT (on oauthlib) runs the OAuth 2.0 and OpenID Connect protocol; this validator adds what
SMART asks of a server and Taut asks of a token (docs/decisions/0043-smart-on-dot.md):

- scopes are SMART 2.0 scopes (``taut.smart.scopes``), granted only as far as the app was
  registered for; a backend service gets ``system/`` scopes only;
- PKCE (S256) is required of public apps, allowed for confidential ones;
- the patient chosen at launch is kept with the authorization code and every token made
  from it, and returned as ``patient`` in the token response;
- the id_token names the user as ``fhirUser`` (their Practitioner) and by their public id
  (``sub``), never the integer key;
- refresh tokens only for ``offline_access`` or ``online_access``;
- backend services authenticate with a signed JWT (``private_key_jwt``, SMART Backend
  Services), checked by ``taut.smart.assertions``.
"""

from typing import Any
from urllib.parse import urlsplit

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request

from taut.smart import assertions, scopes
from taut.smart.models import AppKind, ConnectedApp, LaunchPatient

OAUTH_PREFIX = "/oauth"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def issuer(request: Any) -> str:
    """The OAuth issuer, e.g. ``https://taut.example.org/oauth`` (a Django or oauthlib
    request: from its host and scheme)."""
    return oauth2_settings.oidc_issuer(request)


def origin(request: Any) -> str:
    """Taut's origin as the request reached it: the FHIR base is ``{origin}/fhir``."""
    parts = urlsplit(issuer(request))
    return f"{parts.scheme}://{parts.netloc}"


def practitioner_url(request: Any, user) -> str:
    """The user's ``fhirUser``: their Practitioner resource (SMART 2.0, "fhirUser")."""
    return f"{origin(request)}/fhir/Practitioner/{user.public_id}"


def connected_app(application) -> ConnectedApp | None:
    try:
        return application.taut_app
    except ConnectedApp.DoesNotExist:
        return None


class SmartScopes(BaseScopes):
    """The scopes DOT shows and checks: SMART's, per app (its registered scopes)."""

    def get_all_scopes(self):
        return {
            **scopes.IDENTITY_WORDS,
            "patient/*.rs": "Read and search the chosen patient's records",
            "user/*.rs": "Read and search what the user may see",
            "system/*.rs": "Read and search the clinic's records (backend services)",
        }

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        app = connected_app(application) if application is not None else None
        return app.allowed_scopes.split() if app is not None else []

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return []


class SmartValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "fhirUser": "fhirUser"}

    # -- Clients ---------------------------------------------------------------------------

    def _load_application(self, client_id, request):
        """DOT's client, only while it is a Taut app that has not been revoked."""
        application = super()._load_application(client_id, request)
        if application is None:
            return None
        app = connected_app(application)
        if app is None or not app.active:
            request.client = None
            return None
        request.taut_app = app
        return application

    def authenticate_client(self, request, *args, **kwargs):
        """A signed assertion (``private_key_jwt``) when the client sends one, which a
        backend service must; otherwise DOT's client secret (``client_secret_basic``)."""
        assertion_type = getattr(request, "client_assertion_type", None)
        if assertion_type is not None:
            return assertion_type == JWT_BEARER and self._authenticate_assertion(request)
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        return not request.taut_app.is_backend

    def _authenticate_assertion(self, request) -> bool:
        token = getattr(request, "client_assertion", None) or ""
        client_id = assertions.unverified_issuer(token)
        if client_id is None or self._load_application(client_id, request) is None:
            return False
        app = request.taut_app
        try:
            assertions.verify(token, app=app, audience=f"{issuer(request)}/token")
        except assertions.Refused:
            return False
        request.client_id = client_id
        return True

    def client_authentication_required(self, request, *args, **kwargs):
        if getattr(request, "client_assertion_type", None) is not None:
            return True
        return super().client_authentication_required(request, *args, **kwargs)

    def is_pkce_required(self, client_id, request):
        """Public apps must use PKCE; confidential ones may (SMART 2.0 asks all apps to)."""
        application = self._load_application(client_id, request)
        return application is None or request.taut_app.kind == AppKind.PUBLIC

    # -- Scopes ----------------------------------------------------------------------------

    def validate_scopes(self, client_id, scopes_asked, client, request, *args, **kwargs):
        """Grant what was asked as far as the app is registered for it (a server may grant
        fewer scopes than asked, SMART 2.0): writes, unknown words and other contexts are
        left out; nothing left is ``invalid_scope``. The user's role narrows it further on
        the consent page (``taut.smart.launch``)."""
        app = connected_app(client)
        if app is None:
            return False
        granted = scopes.within(
            scopes.parse(" ".join(scopes_asked)), scopes.parse(app.allowed_scopes)
        )
        if request.grant_type == "client_credentials":
            granted = scopes.without_identity(scopes.in_contexts(granted, ["system"]))
        else:
            granted = scopes.in_contexts(granted, ["patient", "user"])
        if not granted:
            return False
        request.scopes = granted.text().split()
        return True

    # -- Launch patient and tokens ---------------------------------------------------------

    def _create_authorization_code(self, request, code, expires=None):
        grant = super()._create_authorization_code(request, code, expires)
        patient = getattr(request, "taut_patient", None)
        if patient is not None:
            LaunchPatient.objects.create(patient=patient, grant=grant)
        return grant

    def _launch_patient(self, request: Request):
        """The launch patient of the code or refresh token this token request spends."""
        if request.grant_type == "authorization_code":
            found = LaunchPatient.objects.filter(
                grant__code=request.code, grant__application=request.client
            )
        elif request.grant_type == "refresh_token":
            found = LaunchPatient.objects.filter(refresh_token=request.refresh_token_instance)
        else:
            return None
        launch = found.select_related("patient").first()
        return launch.patient if launch is not None else None

    def _save_bearer_token(self, token, request, *args, **kwargs):
        granted = scopes.parse(token.get("scope", ""))
        if not (granted.has("offline_access") or granted.has("online_access")):
            token.pop("refresh_token", None)
        request.taut_patient = self._launch_patient(request)
        super()._save_bearer_token(token, request, *args, **kwargs)
        if request.taut_patient is not None:
            token["patient"] = str(request.taut_patient.public_id)

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        access_token = super()._create_access_token(expires, request, token, source_refresh_token)
        patient = getattr(request, "taut_patient", None)
        if patient is not None:
            LaunchPatient.objects.create(patient=patient, access_token=access_token)
        return access_token

    def _create_refresh_token(
        self, request, refresh_token_code, access_token, previous_refresh_token
    ):
        refresh_token = super()._create_refresh_token(
            request, refresh_token_code, access_token, previous_refresh_token
        )
        patient = getattr(request, "taut_patient", None)
        if patient is not None:
            LaunchPatient.objects.create(patient=patient, refresh_token=refresh_token)
        return refresh_token

    # -- OpenID Connect --------------------------------------------------------------------

    def get_claim_dict(self, request):
        """The user by their public id (Taut's integer keys never leave the server)."""
        return {"sub": str(request.user.public_id), **self.get_additional_claims(request)}

    def get_additional_claims(self, request):
        return {"fhirUser": practitioner_url(request, request.user)}
