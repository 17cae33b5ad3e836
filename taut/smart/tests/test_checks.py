"""The deploy check on the OpenID Connect signing key."""

from taut.smart import checks


def test_it_refuses_the_development_key_and_accepts_another(settings):
    assert [error.id for error in checks.oidc_key(None)] == ["taut.E010"]
    settings.OIDC_RSA_PRIVATE_KEY = (
        "-----BEGIN PRIVATE KEY-----\nanother\n-----END PRIVATE KEY-----"
    )
    assert checks.oidc_key(None) == []
