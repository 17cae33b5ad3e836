"""SMART's discovery document and the OpenID Connect one agree on where everything is."""

from taut.smart.oauth_views import CAPABILITIES


def test_it_publishes_smart_configuration_at_the_fhir_base(client, db):
    response = client.get("/fhir/.well-known/smart-configuration")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["issuer"] == "http://testserver/oauth"
    assert document["authorization_endpoint"] == "http://testserver/oauth/authorize"
    assert document["token_endpoint"] == "http://testserver/oauth/token"
    assert document["jwks_uri"] == "http://testserver/oauth/jwks"
    assert document["introspection_endpoint"] == "http://testserver/oauth/introspect"
    assert document["revocation_endpoint"] == "http://testserver/oauth/revoke"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert {"private_key_jwt", "client_secret_basic"} <= set(
        document["token_endpoint_auth_methods_supported"]
    )
    assert {"authorization_code", "client_credentials", "refresh_token"} == set(
        document["grant_types_supported"]
    )
    assert {"launch/patient", "openid", "fhirUser", "patient/*.rs", "system/*.rs"} <= set(
        document["scopes_supported"]
    )
    assert document["response_types_supported"] == ["code"]
    for capability in ("launch-standalone", "client-public", "client-confidential-symmetric",
                       "client-confidential-asymmetric", "context-standalone-patient",
                       "permission-patient", "permission-user", "permission-v2",
                       "sso-openid-connect", "authorize-post"):  # fmt: skip
        assert capability in CAPABILITIES and capability in document["capabilities"]
    assert client.get("/.well-known/smart-configuration").json() == document


def test_it_agrees_with_the_openid_configuration(client, db):
    smart = client.get("/fhir/.well-known/smart-configuration").json()
    oidc = client.get("/oauth/.well-known/openid-configuration").json()
    for field in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
        assert oidc[field] == smart[field], field
    keys = client.get("/oauth/jwks").json()["keys"]
    assert keys and all("d" not in key for key in keys)  # public keys only
