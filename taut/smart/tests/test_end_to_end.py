"""The whole standalone launch and a backend service's token, through Django's test client:
register → authorize with PKCE (S256) and a patient picked → code for tokens (``patient``,
an id_token naming the ``fhirUser``) → refresh → introspect → revoke; and client
credentials with a JWT the test signs."""

import base64
import json

import pytest
from django.test import RequestFactory
from jwcrypto import jwk, jwt

from taut.smart.grants import InvalidToken, grant_for_request
from taut.smart.models import AppKind
from taut.smart.tests import flow


def bearer(token):
    return RequestFactory().get("/fhir/Patient", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_it_launches_a_confidential_app_for_one_patient_from_pkce_to_revocation(
    client, cast, signed_in
):
    """Every step a SMART standalone launch takes, with what each answer must carry."""
    registered = flow.register(cast.clinic, cast.lead, kind=AppKind.CONFIDENTIAL)
    app, secret = registered.app, registered.client_secret
    signed_in(cast.clinician)
    code, verifier = flow.launch(client, app, cast.patient)

    response = flow.exchange(client, app, code, verifier, secret=secret)
    assert response.status_code == 200, response.content
    tokens = response.json()
    assert tokens["patient"] == str(cast.patient.public_id)
    assert tokens["scope"] == "openid fhirUser launch/patient offline_access patient/*.rs"
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"]
    keys = jwk.JWKSet.from_json(client.get("/oauth/jwks").content)
    claims = json.loads(jwt.JWT(jwt=tokens["id_token"], key=keys).claims)
    assert claims["fhirUser"] == f"http://testserver/fhir/Practitioner/{cast.clinician.public_id}"
    assert claims["sub"] == str(cast.clinician.public_id)
    assert claims["aud"] == app.client_id and claims["iss"] == "http://testserver/oauth"

    grant = grant_for_request(bearer(tokens["access_token"]))
    assert (grant.kind, grant.patient_id, grant.user) == ("patient", cast.patient.public_id,
                                                          cast.clinician)  # fmt: skip

    basic = base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()
    auth = {"HTTP_AUTHORIZATION": f"Basic {basic}"}
    refreshed = client.post(
        "/oauth/token", {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        **auth,
    ).json()  # fmt: skip
    assert refreshed["patient"] == str(cast.patient.public_id)
    assert refreshed["access_token"] != tokens["access_token"]
    assert grant_for_request(bearer(refreshed["access_token"])).patient_id == cast.patient.public_id

    introspected = client.post(
        "/oauth/introspect", {"token": refreshed["access_token"]}, **auth
    ).json()
    assert introspected["active"] is True
    assert introspected["patient"] == str(cast.patient.public_id)
    assert introspected["fhirUser"].endswith(f"/Practitioner/{cast.clinician.public_id}")
    assert introspected["client_id"] == app.client_id and "username" not in introspected

    revoked = client.post("/oauth/revoke", {"token": refreshed["access_token"]}, **auth)
    assert revoked.status_code == 200
    gone = client.post("/oauth/introspect", {"token": refreshed["access_token"]}, **auth)
    assert gone.json() == {"active": False}


def test_it_gives_a_public_app_tokens_only_with_its_pkce_verifier(client, cast, signed_in):
    """A public app has no secret: the code is worth nothing without the verifier."""
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.nurse)
    code, verifier = flow.launch(client, app, cast.patient)
    assert flow.exchange(client, app, code, "x" * 50).status_code == 400
    code, verifier = flow.launch(client, app, cast.patient)
    response = flow.exchange(client, app, code, verifier)
    assert response.status_code == 200, response.content
    assert response.json()["patient"] == str(cast.patient.public_id)


def test_it_gives_a_backend_service_a_system_token_for_a_signed_assertion(client, cast):
    """Client credentials with ``private_key_jwt``: the token is the clinic's, as the app."""
    key, jwks = flow.key_pair()
    app = flow.register(cast.clinic, cast.lead, kind=AppKind.BACKEND, scopes="system/*.rs",
                        jwks=jwks).app  # fmt: skip
    response = flow.backend_token(client, app.client_id, flow.assertion(key, app.client_id))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "system/*.rs" and "refresh_token" not in body
    assert "patient" not in body and "id_token" not in body
    grant = grant_for_request(bearer(body["access_token"]))
    assert (grant.kind, grant.clinic_id, grant.user) == ("system", cast.clinic.pk, app.service_user)
    assert grant.allows("Observation", "search")


def test_it_answers_another_clinics_app_that_a_token_is_inactive(client, cast, signed_in):
    """Introspection tells a client about tokens of its own clinic only."""
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    code, verifier = flow.launch(client, app, cast.patient)
    token = flow.exchange(client, app, code, verifier).json()["access_token"]
    elsewhere = flow.register(cast.other_clinic, flow.other_lead(cast), kind=AppKind.CONFIDENTIAL)
    basic = base64.b64encode(
        f"{elsewhere.app.client_id}:{elsewhere.client_secret}".encode()
    ).decode()
    answer = client.post("/oauth/introspect", {"token": token}, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert answer.json() == {"active": False}
    wrong = base64.b64encode(f"{elsewhere.app.client_id}:not-the-secret".encode()).decode()
    refused = client.post(
        "/oauth/introspect", {"token": token}, HTTP_AUTHORIZATION=f"Basic {wrong}"
    )
    assert refused.status_code in (401, 403)


def test_it_lets_a_browser_app_call_the_token_endpoint_from_its_own_origin(client, cast, signed_in):
    """CORS on the token endpoint for the origins of the app's https redirect URIs."""
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.nurse)
    code, verifier = flow.launch(client, app, cast.patient)
    response = flow.exchange(client, app, code, verifier, HTTP_ORIGIN="https://app.example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.example.org"
    code, verifier = flow.launch(client, app, cast.patient)
    other = flow.exchange(client, app, code, verifier, HTTP_ORIGIN="https://evil.example.org")
    assert "Access-Control-Allow-Origin" not in other


def test_it_names_the_fhir_user_only_when_the_app_asked_for_it(client, cast, signed_in):
    """``fhirUser`` in the id_token and at userinfo with the ``fhirUser`` scope, not without."""
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    for scope, named in [(flow.LAUNCH_SCOPES, True), ("openid launch/patient patient/*.rs", False)]:
        code, verifier = flow.launch(client, app, cast.patient, scope=scope)
        tokens = flow.exchange(client, app, code, verifier).json()
        keys = jwk.JWKSet.from_json(client.get("/oauth/jwks").content)
        claims = json.loads(jwt.JWT(jwt=tokens["id_token"], key=keys).claims)
        assert ("fhirUser" in claims) is named
        info = client.get(
            "/oauth/userinfo", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
        ).json()
        assert info["sub"] == str(cast.clinician.public_id)
        assert ("fhirUser" in info) is named


def test_it_revokes_the_whole_launch_when_a_spent_refresh_token_comes_back(client, cast, signed_in):
    """Refresh tokens rotate; a replayed one (stolen, say) ends every token of the launch."""
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    code, verifier = flow.launch(client, app, cast.patient)
    first = flow.exchange(client, app, code, verifier).json()

    def refresh(token):
        data = {"grant_type": "refresh_token", "refresh_token": token, "client_id": app.client_id}
        return client.post("/oauth/token", data)

    second = refresh(first["refresh_token"]).json()
    assert refresh(first["refresh_token"]).status_code == 400
    assert refresh(second["refresh_token"]).status_code == 400
    with pytest.raises(InvalidToken):
        grant_for_request(bearer(second["access_token"]))
