"""Helpers for SMART tests: apps registered through the real service, a launch walked
through the real pages, keys and assertions signed as a backend service would."""

import base64
import hashlib
import json
import secrets
import time
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

from jwcrypto import jwk, jwt

from taut.accounts.roles import Role
from taut.smart import services
from taut.smart.models import AppKind
from taut.tests.cast import acting, make_staff

REDIRECT = "https://app.example.org/callback"
TOKEN_URL = "http://testserver/oauth/token"
LAUNCH_SCOPES = "openid fhirUser launch/patient offline_access patient/*.rs"


def register(
    clinic, lead, *, kind=AppKind.PUBLIC, scopes=LAUNCH_SCOPES, jwks=None, name="Pain Diary"
):
    return services.register_app(
        clinic=clinic,
        name=name,
        kind=kind,
        redirect_uris="" if kind == AppKind.BACKEND else REDIRECT,
        allowed_scopes=scopes,
        jwks=jwks or {},
        actor=acting(lead),
    )


def other_lead(cast):
    return make_staff(cast.other_clinic, "otherlead", Role.CLINIC_LEAD, "Olga", "Otherlead")


def pkce() -> tuple[str, str]:
    """(verifier, S256 challenge), RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_url(client_id, *, scope=LAUNCH_SCOPES, challenge, state="s-123", **extra) -> str:
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": state,
        "aud": "http://testserver/fhir",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return f"/oauth/authorize?{urlencode({k: v for k, v in params.items() if v is not None})}"


def decide_url(authorize: str) -> str:
    return authorize.replace("/oauth/authorize?", "/oauth/authorize/decide?", 1)


def code_from(response) -> str:
    assert response.status_code == 302, response.content[:500]
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert "code" in query, query
    return query["code"][0]


def launch(client, app, patient, *, scope=LAUNCH_SCOPES) -> tuple[str, str]:
    """Walk the launch as the signed-in user: picker, consent, allow. (code, verifier)."""
    verifier, challenge = pkce()
    url = authorize_url(app.client_id, scope=scope, challenge=challenge)
    assert client.get(url).status_code == 200
    decide = decide_url(url)
    assert client.post(decide, {"patient": str(patient.public_id)}).status_code == 200
    response = client.post(decide, {"patient": str(patient.public_id), "decision": "allow"})
    return code_from(response), verifier


def exchange(client, app, code, verifier, *, secret="", **headers):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
        "client_id": app.client_id,
    }
    if secret:
        basic = base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()
        headers["HTTP_AUTHORIZATION"] = f"Basic {basic}"
    return client.post("/oauth/token", data, **headers)


def key_pair(kid="k1", kty="EC") -> tuple[jwk.JWK, dict]:
    """A private key and the public JWK Set a backend service registers."""
    if kty == "EC":
        key = jwk.JWK.generate(kty="EC", crv="P-384", kid=kid)
    else:
        key = jwk.JWK.generate(kty="RSA", size=2048, kid=kid)
    public = json.loads(key.export_public())
    return key, {"keys": [public]}


def assertion(key, client_id, *, aud=TOKEN_URL, lifetime=240, jti=None, alg=None, **claims):
    now = int(time.time())
    body = {"iss": client_id, "sub": client_id, "aud": aud, "exp": now + lifetime,
            "jti": str(uuid.uuid4()) if jti is None else jti, **claims}  # fmt: skip
    alg = alg or ("ES384" if key.get("kty") == "EC" else "RS384")
    token = jwt.JWT(header={"alg": alg, "kid": key.get("kid"), "typ": "JWT"}, claims=body)
    token.make_signed_token(key)
    return token.serialize()


def backend_token(client, client_id, signed, *, scope="system/*.rs"):
    return client.post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": signed,
        },
    )
