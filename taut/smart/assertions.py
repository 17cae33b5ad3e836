"""Backend services' signed client assertions (``private_key_jwt``).

SMART App Launch 2.0.0, "Backend Services" (https://hl7.org/fhir/smart-app-launch/STU2/
backend-services.html), "Authenticating to the token endpoint": the client sends
``client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`` and a JWT
signed with one of its registered keys (RS384 or ES384) whose claims are ``iss`` and ``sub``
(both the client id), ``aud`` (the token endpoint's URL), ``exp`` (no more than five minutes
ahead) and ``jti`` (never used before by this client). The server refuses anything else.
"""

import json
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from jwcrypto import jwk, jws, jwt
from jwcrypto.common import JWException

from taut.smart.models import ConnectedApp, UsedAssertion

ALGORITHMS = ["RS384", "ES384"]
MAX_LIFETIME_SECONDS = 5 * 60
# Clock skew allowed between the client and Taut when checking exp and nbf.
LEEWAY_SECONDS = 30


class Refused(Exception):
    """The assertion does not authenticate the client (the reason, for tests and logs)."""


def unverified_issuer(token: str) -> str | None:
    """The ``iss`` claim of ``token`` before any check (to find whose keys to check it
    with), or None when it is not a JWS at all."""
    try:
        unverified = jws.JWS()
        unverified.deserialize(token)
        claims = json.loads(unverified.objects["payload"])
    except (JWException, ValueError, KeyError, TypeError):
        return None
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    return issuer if isinstance(issuer, str) else None


def key_set(jwks: dict) -> jwk.JWKSet:
    """The app's registered public keys; a JWK Set with a private key is refused."""
    try:
        keys = jwk.JWKSet.from_json(json.dumps(jwks))
    except (JWException, ValueError, KeyError, TypeError):
        raise ValueError("Not a JWK Set: a JSON object with a list of keys.") from None
    if not keys["keys"]:
        raise ValueError("The JWK Set has no keys.")
    for key in keys["keys"]:
        if key.has_private:
            raise ValueError("The JWK Set holds a private key: paste the public keys only.")
        if key.get("kty") not in ("RSA", "EC"):
            raise ValueError("Only RSA (RS384) and EC (ES384) keys are accepted.")
    return keys


def verify(token: str, *, app: ConnectedApp, audience: str) -> dict:
    """The claims of ``token`` once it is signed by one of ``app``'s keys with the claims
    SMART asks for; its ``jti`` is then spent. Raises ``Refused`` otherwise."""
    now = timezone.now()
    try:
        checked = jwt.JWT(
            algs=ALGORITHMS,
            expected_type="JWS",
            strict_serialization=True,
            check_claims={"iss": app.client_id, "sub": app.client_id, "aud": audience,
                          "exp": int(now.timestamp()), "jti": None},
        )  # fmt: skip
        checked.leeway = LEEWAY_SECONDS
        checked.deserialize(token, key_set(app.jwks))
        claims = json.loads(checked.claims)
    except (JWException, ValueError, KeyError, TypeError) as error:
        raise Refused(f"assertion not accepted: {type(error).__name__}") from None
    expires, jti = claims["exp"], claims["jti"]
    if not isinstance(jti, str) or not jti.strip() or len(jti) > 255:
        raise Refused("assertion without a usable jti")
    if not isinstance(expires, int) or expires > now.timestamp() + MAX_LIFETIME_SECONDS:
        raise Refused("assertion lives longer than five minutes")
    spend(client_id=app.client_id, jti=jti, expires=expires, now=now)
    return claims


def spend(*, client_id: str, jti: str, expires: int, now: datetime) -> None:
    """Record ``jti`` as used until it expires (and forget those that have expired)."""
    UsedAssertion.objects.filter(expires_at__lt=now).delete()
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(
                client_id=client_id,
                jti=jti,
                expires_at=datetime.fromtimestamp(expires + LEEWAY_SECONDS, tz=UTC),
            )
    except IntegrityError:
        raise Refused("assertion already used") from None
