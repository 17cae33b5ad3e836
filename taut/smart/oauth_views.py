"""The OAuth 2.0 / OpenID Connect endpoints (django-oauth-toolkit's views) and SMART's
discovery document. They answer apps, not people: each is ``public`` as a route (the
client or token is what they check)."""

import base64
import hashlib
import json
from urllib.parse import unquote_plus

from django.http import JsonResponse
from django.views.decorators.http import require_GET
from oauth2_provider import views as dot
from oauth2_provider.models import AccessToken

from taut.accounts.access import public
from taut.smart import assertions, scopes
from taut.smart.grants import InvalidToken, grant_for_access
from taut.smart.models import ConnectedApp
from taut.smart.validator import issuer, practitioner_url

# SMART App Launch 2.0.0, "Conformance": the capabilities Taut supports.
CAPABILITIES = [
    "launch-standalone",
    "client-public",
    "client-confidential-symmetric",
    "client-confidential-asymmetric",
    "context-standalone-patient",
    "permission-patient",
    "permission-user",
    "permission-v2",
    "permission-offline",
    "permission-online",
    "sso-openid-connect",
    "authorize-post",
]


SUPPORTED_RESOURCE_SCOPES = [
    "patient/*.rs", "user/*.rs", "system/*.rs", "patient/*.read", "user/*.read", "system/*.read",
]  # fmt: skip


class Introspect(dot.IntrospectTokenView):
    """RFC 7662 introspection for a client authenticating as itself (DOT checks that), with
    SMART's ``patient`` and ``fhirUser`` for an active token and no username. A token of
    another clinic's app is answered as inactive."""

    def get(self, request, *args, **kwargs):
        return self._answer(request, request.GET.get("token"))

    def post(self, request, *args, **kwargs):
        return self._answer(request, request.POST.get("token"))

    def _answer(self, request, value):
        response = self.get_token_response(value)
        data = json.loads(response.content)
        if not data.get("active"):
            return JsonResponse(data, status=response.status_code)
        context = _context(request, value)
        if context is None:
            return JsonResponse({"active": False})
        data.pop("username", None)
        return JsonResponse({**data, **context})


def _caller_client_id(request) -> str:
    """The client the introspection request authenticated as (DOT's order: HTTP Basic, then
    a signed assertion, then the body)."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials).decode()
        except (ValueError, UnicodeDecodeError):
            return ""
        return unquote_plus(decoded.split(":", 1)[0])
    if request.POST.get("client_assertion"):
        return assertions.unverified_issuer(request.POST["client_assertion"]) or ""
    return request.POST.get("client_id", "")


def _context(request, value: str) -> dict | None:
    """SMART's additions for an active token, or None when it is not one the caller's
    clinic may learn about."""
    access = AccessToken.objects.select_related("user", "application__taut_app").get(
        token_checksum=hashlib.sha256(value.encode()).hexdigest()
    )
    caller = ConnectedApp.objects.filter(client_id=_caller_client_id(request)).first()
    try:
        grant = grant_for_access(access)
    except InvalidToken:
        return None
    if caller is None or caller.clinic_id != grant.clinic_id:
        return None
    extra: dict = {"sub": str(grant.user.public_id)} if access.user else {}
    if grant.patient_id:
        extra["patient"] = str(grant.patient_id)
    if access.user and grant.scopes.has("fhirUser"):
        extra["fhirUser"] = practitioner_url(request, access.user)
    return extra


token = public(dot.TokenView.as_view())
revoke = public(dot.RevokeTokenView.as_view())
introspect = public(Introspect.as_view())
jwks = public(dot.JwksInfoView.as_view())
userinfo = public(dot.UserInfoView.as_view())
openid_configuration = public(dot.ConnectDiscoveryInfoView.as_view())


@public
@require_GET
def smart_configuration(request):
    """``{FHIR base}/.well-known/smart-configuration`` (SMART App Launch 2.0.0,
    "Conformance"): where the endpoints are and what Taut supports."""
    oauth = issuer(request)
    document = {
        "issuer": oauth,
        "jwks_uri": f"{oauth}/jwks",
        "authorization_endpoint": f"{oauth}/authorize",
        "token_endpoint": f"{oauth}/token",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384"],
        "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
        "scopes_supported": [*scopes.IDENTITY_SCOPES, *SUPPORTED_RESOURCE_SCOPES],
        "response_types_supported": ["code"],
        "introspection_endpoint": f"{oauth}/introspect",
        "revocation_endpoint": f"{oauth}/revoke",
        "userinfo_endpoint": f"{oauth}/userinfo",
        "code_challenge_methods_supported": ["S256"],
        "capabilities": CAPABILITIES,
    }
    response = JsonResponse(document)
    response["Access-Control-Allow-Origin"] = "*"  # read by apps running in browsers
    return response
