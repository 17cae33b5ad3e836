"""Backend services (SMART Backend Services, client credentials with ``private_key_jwt``):
a token for an assertion signed by a registered key with SMART's claims, nothing else."""

import base64

import pytest

from taut.smart.models import AppKind, UsedAssertion
from taut.smart.tests import flow


@pytest.fixture
def backend(cast):
    key, jwks = flow.key_pair()
    app = flow.register(cast.clinic, cast.lead, kind=AppKind.BACKEND,
                        scopes="system/Patient.rs system/Observation.rs", jwks=jwks).app  # fmt: skip
    return app, key


def test_it_accepts_an_rs384_key_as_well(client, cast):
    key, jwks = flow.key_pair(kty="RSA")
    app = flow.register(cast.clinic, cast.lead, kind=AppKind.BACKEND, scopes="system/*.rs",
                        jwks=jwks).app  # fmt: skip
    response = flow.backend_token(client, app.client_id, flow.assertion(key, app.client_id))
    assert response.status_code == 200, response.content


def test_it_grants_a_wildcard_as_the_types_the_app_is_registered_for(client, backend):
    app, key = backend
    body = flow.backend_token(client, app.client_id, flow.assertion(key, app.client_id)).json()
    assert body["scope"] == "system/Observation.rs system/Patient.rs"
    assert body["expires_in"] == 3600


@pytest.mark.parametrize(
    "change",
    [
        {"aud": "http://testserver/oauth/introspect"},  # not the token endpoint
        {"lifetime": 6 * 60},  # more than five minutes
        {"lifetime": -120},  # expired
        {"sub": "someone-else"},  # iss and sub must both be the client id
        {"alg": "RS256"},  # not an algorithm SMART lists
        {"jti": ""},
    ],
)
def test_it_refuses_an_assertion_without_smarts_claims(client, backend, change):
    app, key = backend
    if change.get("alg") == "RS256":
        key, jwks = flow.key_pair(kty="RSA")
        app.jwks = jwks
        app.save(update_fields=["jwks"])
    signed = flow.assertion(key, app.client_id, **change)
    response = flow.backend_token(client, app.client_id, signed)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_it_refuses_an_assertion_signed_by_another_key(client, backend):
    app, _ = backend
    stranger, _ = flow.key_pair()
    response = flow.backend_token(client, app.client_id, flow.assertion(stranger, app.client_id))
    assert response.status_code == 401


def test_it_spends_each_assertion_once(client, backend):
    app, key = backend
    signed = flow.assertion(key, app.client_id, jti="once")
    assert flow.backend_token(client, app.client_id, signed).status_code == 200
    assert flow.backend_token(client, app.client_id, signed).status_code == 401
    assert UsedAssertion.objects.filter(client_id=app.client_id, jti="once").count() == 1


def test_it_refuses_scopes_a_backend_cannot_have(client, backend):
    app, key = backend
    for scope in ("patient/*.rs", "system/Procedure.rs", "openid"):
        response = flow.backend_token(client, app.client_id, flow.assertion(key, app.client_id),
                                      scope=scope)  # fmt: skip
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_scope"


def test_it_refuses_a_backend_authenticating_with_a_secret(client, backend):
    """A backend service has no secret to give: only its signed assertion counts."""
    app, _ = backend
    basic = base64.b64encode(f"{app.client_id}:anything".encode()).decode()
    response = client.post("/oauth/token", {"grant_type": "client_credentials", "scope": "system/*.rs"},
                           HTTP_AUTHORIZATION=f"Basic {basic}")  # fmt: skip
    assert response.status_code == 401


def test_it_refuses_client_credentials_to_a_standalone_app(client, cast):
    registered = flow.register(cast.clinic, cast.lead, kind=AppKind.CONFIDENTIAL)
    basic = base64.b64encode(
        f"{registered.app.client_id}:{registered.client_secret}".encode()
    ).decode()
    response = client.post("/oauth/token", {"grant_type": "client_credentials", "scope": "user/*.rs"},
                           HTTP_AUTHORIZATION=f"Basic {basic}")  # fmt: skip
    assert response.status_code in (400, 401)
    assert response.json()["error"] in ("unauthorized_client", "invalid_scope")
