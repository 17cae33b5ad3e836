"""Second factors for staff (issue 16, decision 0031): authenticator apps (TOTP), passkeys
(WebAuthn, through django-otp-webauthn) and one-time recovery codes (django-otp's static
device). Every enrolment, removal and reset is audited here; successes and failures at
sign-in are audited by ``sessions``.

A member is *enrolled* once they have a confirmed authenticator app or passkey; recovery
codes alone do not count (they back up a factor, they are not one)."""

import base64
import hashlib
import hmac
import secrets
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp_webauthn.models import WebAuthnCredential

from taut.accounts.actors import Actor
from taut.accounts.models import TotpDevice, User
from taut.accounts.roles import Need
from taut.accounts.services import end_sessions
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib import fieldcrypt
from taut.lib.refusals import NotAllowed

RECOVERY_CODE_COUNT = 10
RECOVERY_NAME = "Recovery codes"
# Method names as the audit trail and the pages show them.
TOTP, PASSKEY, RECOVERY = "totp", "passkey", "recovery_code"


def method_of(device: Device) -> str:
    if isinstance(device, TotpDevice):
        return TOTP
    if isinstance(device, StaticDevice):
        return RECOVERY
    return PASSKEY


def factors(user: User) -> list[Device]:
    """The member's confirmed authenticator apps and passkeys, oldest first."""
    found = list(TotpDevice.objects.filter(user=user, confirmed=True))
    found += WebAuthnCredential.objects.filter(user=user, confirmed=True)
    return sorted(found, key=lambda device: device.created_at or 0)


def is_enrolled(user: User) -> bool:
    return (
        TotpDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _audit(actor: Actor, member: User, change: str, method: str) -> None:
    record_event(
        actor=actor,
        action=Action.PRIVILEGE_CHANGE,
        obj=member,
        clinic_id=member.clinic_id,
        details={"change": change, "method": method},
    )


# -- Authenticator apps ---------------------------------------------------------------


def start_totp(*, user: User) -> TotpDevice:
    """A new, unconfirmed authenticator app with a fresh 20-byte secret (encrypted).

    Earlier unconfirmed ones are dropped: only the QR code on screen can be confirmed."""
    with transaction.atomic():
        TotpDevice.objects.filter(user=user, confirmed=False).delete()
        return TotpDevice.objects.create(
            user=user,
            name="Authenticator app",
            confirmed=False,
            secret=fieldcrypt.encrypt(secrets.token_bytes(20)),
        )


def manual_key(device: TotpDevice) -> str:
    """The secret as the base32 text authenticator apps accept typed in, in groups of 4."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_uri(device: TotpDevice) -> str:
    """The ``otpauth://`` URI of Google's Key Uri Format (what the QR code holds)."""
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{device.user.get_username()}")
    params = {
        "secret": manual_key(device).replace(" ", ""),
        "issuer": issuer,
        "algorithm": "SHA1",
        "digits": TotpDevice.DIGITS,
        "period": TotpDevice.STEP,
    }
    return f"otpauth://totp/{label}?{urlencode(params)}"


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG, drawn on the server (segno): no image request
    and no third-party service ever sees the secret."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, title="QR code for your authenticator app"
    )


def confirm_totp(*, device: TotpDevice, code: str, actor: Actor) -> bool:
    """Confirm an authenticator app with a code from it. False when the code is wrong."""
    if device.confirmed or not device.verify_token(code):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _audit(actor, device.user, "mfa_enrolled", TOTP)
    return True


# -- Recovery codes ---------------------------------------------------------------------


def _recovery_digest(code: str) -> str:
    """What is stored for a recovery code: 16 hex digits of its HMAC under the field key,
    so someone who reads the database cannot use the codes."""
    plain = code.strip().lower().replace(" ", "").replace("-", "")
    key = (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, b"recovery:" + plain.encode(), hashlib.sha256).hexdigest()[:16]


def new_recovery_codes(*, user: User, actor: Actor) -> list[str]:
    """Ten new one-time recovery codes, replacing any earlier ones. Shown once."""
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=_recovery_digest(code)) for code in codes
        )
        _audit(actor, user, "recovery_codes_issued", RECOVERY)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


# -- Checking a code at sign-in ----------------------------------------------------------


def verify_code(*, user: User, code: str) -> Device | None:
    """The device ``code`` comes from (an authenticator app's current code, or a recovery
    code, which is then used up), or None. Each device throttles wrong codes itself."""
    code = (code or "").strip()
    if not code or len(code) > 20:
        return None
    digits = code.replace(" ", "")
    if digits.isdigit():
        for device in TotpDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(digits):
                return device
        return None
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(_recovery_digest(code)):
            return static
    return None


# -- Removing ----------------------------------------------------------------------------


def remove_factor(*, user: User, device_id: str, actor: Actor) -> bool:
    """Remove one of ``user``'s own authenticator apps or passkeys (``device_id`` is
    ``factor_id``). When the last goes, so do the recovery codes. False if not found."""
    device = next((d for d in factors(user) if factor_id(d) == device_id), None)
    if device is None:
        return False
    with transaction.atomic():
        device.delete()
        _audit(actor, user, "mfa_removed", method_of(device))
        if not is_enrolled(user):
            StaticDevice.objects.filter(user=user).delete()
    return True


def factor_id(device: Device) -> str:
    """A stable name of a factor for forms: its method and primary key."""
    return f"{method_of(device)}-{device.pk}"


def reset_mfa(*, member: User, actor: Actor) -> int:
    """A clinic lead removes every second factor of ``member`` (who lost their phone and
    their codes), after checking who they are. Audited; ends their sessions. They enrol
    again at their next sign-in if the clinic requires it. Returns how many were removed.

    The hook for the lead's staff page (password reset, decision 0032) to call."""
    actor.require(Need.MANAGE_STAFF, "Only a clinic lead resets another member's MFA.")
    if member.clinic_id != actor.clinic_id:
        raise NotAllowed("Staff of another clinic cannot be changed here.")
    with transaction.atomic():
        removed = 0
        for model in (TotpDevice, WebAuthnCredential, StaticDevice):
            removed += model.objects.filter(user=member).delete()[1].get(model._meta.label, 0)
        _audit(actor, member, "mfa_reset", "all")
        end_sessions(member)
    return removed


def record_passkey_enrolled(*, device: WebAuthnCredential, actor: Actor) -> None:
    _audit(actor, device.user, "mfa_enrolled", PASSKEY)
