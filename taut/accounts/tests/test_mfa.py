"""Second factors at sign-in (issue 16, decision 0031): authenticator apps, recovery codes,
passkeys (service level; the browser test drives a virtual authenticator) and the clinic
setting that requires enrolment. Times are fixed with time-machine: a TOTP code is a
function of the time step, computed here with ``django_otp.oath.totp``."""

import json
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from cryptography.fernet import InvalidToken
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp_webauthn.models import WebAuthnCredential

from taut.accounts import mfa
from taut.accounts.actors import Actor
from taut.accounts.models import TotpDevice
from taut.audit.models import Action, AuditEvent
from taut.lib import fieldcrypt
from taut.lib.refusals import NotAllowed
from taut.tests.cast import PASSWORD

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LOGIN, VERIFY = "/login/", "/login/second-step/"


def now_code(device: TotpDevice) -> str:
    """The code the member's app shows now (under time-machine's clock)."""
    return f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}"


def enrolled_app(user) -> TotpDevice:
    device = mfa.start_totp(user=user)
    device.confirmed = True
    device.save()
    return device


def changes(user) -> list[str]:
    return [
        e.details.get("change")
        for e in AuditEvent.objects.filter(
            action=Action.PRIVILEGE_CHANGE, object_id=str(user.public_id), details__has_key="method"
        )
    ]


def test_it_encrypts_the_totp_secret_and_refuses_another_key():
    token = fieldcrypt.encrypt(b"\x01" * 20)
    assert b"\x01" * 20 not in token.encode() and "0101" not in token
    assert fieldcrypt.decrypt(token) == b"\x01" * 20
    with override_settings(FIELD_ENCRYPTION_KEY="another key"), pytest.raises(InvalidToken):
        fieldcrypt.decrypt(token)


def test_it_enrols_an_app_from_the_qr_page_then_asks_for_its_code_at_sign_in(
    client, cast, signed_in
):
    with time_machine.travel(T0, tick=False) as clock:
        signed_in(cast.nurse)
        page = client.get(reverse("accounts:totp_add"))
        assert page.status_code == 200 and b"<svg" in page.content
        device = TotpDevice.objects.get(user=cast.nurse, confirmed=False)
        assert mfa.manual_key(device).replace(" ", "").encode() in page.content.replace(b" ", b"")
        assert device.bin_key.hex() not in device.secret  # stored encrypted
        done = client.post(reverse("accounts:totp_add"), {"code": now_code(device)})
        assert b"recovery codes" in done.content.lower()  # shown once, after the first factor
        assert changes(cast.nurse) == ["recovery_codes_issued", "mfa_enrolled"]
        client.post(reverse("accounts:logout"))

        clock.shift(timedelta(minutes=1))
        step = client.post(LOGIN, {"username": "nurse", "password": PASSWORD})
        assert step["Location"] == VERIFY
        assert client.get(reverse("patients:list")).status_code == 302  # not signed in yet
        wrong = client.post(
            VERIFY, {"code": "000000" if now_code(device) != "000000" else "111111"}
        )
        assert wrong.status_code == 400
        failed = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
        assert (failed.actor_username, failed.details) == (
            "nurse",
            {"step": "mfa", "method": "code"},
        )

        clock.shift(timedelta(seconds=30))  # past django-otp's delay after a wrong code
        right = client.post(VERIFY, {"code": now_code(device)})
        assert right["Location"] == reverse("patients:list")
        login = AuditEvent.objects.get(action=Action.LOGIN, details__mfa="totp")
        assert login.actor_id == cast.nurse.pk
        assert client.post(VERIFY, {"code": now_code(device)}).status_code == 302  # signed in
        assert client.get(reverse("patients:list")).status_code == 200


def test_it_starts_the_password_step_over_after_five_wrong_codes(client, cast):
    enrolled_app(cast.clinician)
    client.post(LOGIN, {"username": "clinician", "password": PASSWORD})
    for _ in range(4):
        assert client.post(VERIFY, {"code": "12345x"}).status_code == 400
    assert client.post(VERIFY, {"code": "12345x"})["Location"] == reverse("accounts:login")
    assert client.get(VERIFY)["Location"] == reverse("accounts:login")
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() == 5


def test_a_password_changed_while_the_second_step_waits_sends_it_back_to_the_password(client, cast):
    """A reset (or a lead's deactivation) between the two steps voids the pending step:
    the right code alone must not sign in on a password that no longer holds."""
    device = enrolled_app(cast.clinician)
    client.post(LOGIN, {"username": "clinician", "password": PASSWORD})
    cast.clinician.set_password("a-brand-new-long-passphrase-42")
    cast.clinician.save(update_fields=["password"])
    assert client.post(VERIFY, {"code": now_code(device)})["Location"] == reverse("accounts:login")
    assert not AuditEvent.objects.filter(action=Action.LOGIN, actor_id=cast.clinician.pk).exists()
    cast.clinician.set_password(PASSWORD)  # the shared cast's password, for later tests
    cast.clinician.save(update_fields=["password"])


def test_recovery_codes_work_once_each_and_are_not_stored_readable(client, cast):
    enrolled_app(cast.clinician)
    codes = mfa.new_recovery_codes(user=cast.clinician, actor=Actor.system("test", now=T0))
    assert len(set(codes)) == mfa.RECOVERY_CODE_COUNT
    stored = set(cast.clinician.staticdevice_set.get().token_set.values_list("token", flat=True))
    assert not stored & {c.replace("-", "") for c in codes}
    client.post(LOGIN, {"username": "clinician", "password": PASSWORD})
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGIN, details__mfa="recovery_code").exists()
    assert mfa.verify_code(user=cast.clinician, code=codes[0]) is None  # used up
    assert mfa.recovery_codes_left(cast.clinician) == mfa.RECOVERY_CODE_COUNT - 1


def passkey_for(user) -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user, name="Test key", confirmed=True, credential_id=b"id-" + user.username.encode(),
        public_key=b"not checked here",
    )  # fmt: skip


def test_a_passkey_is_a_second_factor_after_the_password(client, cast):
    """Service level: the library's WebAuthn check is replaced by its answer (the browser
    test exercises the real ceremony with Chromium's virtual authenticator)."""
    key = passkey_for(cast.front_desk)
    assert mfa.is_enrolled(cast.front_desk)
    refused = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert refused.status_code in (401, 403)  # nobody passed the password step
    client.post(LOGIN, {"username": "desk", "password": PASSWORD})
    page = client.get(VERIFY)
    assert b"passkey-verification-button" in page.content
    begin = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert begin.status_code == 200 and "challenge" in begin.json()
    with mock.patch("taut.accounts.passkeys.Helper.authenticate_complete", return_value=key):
        done = client.post(
            reverse("otp_webauthn:credential-authentication-complete"),
            data=json.dumps({"id": "x"}), content_type="application/json",
        )  # fmt: skip
    assert done.status_code == 200
    assert done.json()["redirect_url"] == reverse("patients:list")
    assert AuditEvent.objects.filter(
        action=Action.LOGIN, actor_id=cast.front_desk.pk, details__mfa="passkey"
    ).exists()
    assert client.get(reverse("patients:list")).status_code == 200


def test_registering_a_passkey_is_audited_and_needs_recent_authentication(client, cast, signed_in):
    with time_machine.travel(T0, tick=False) as clock:
        signed_in(cast.nurse)
        begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
        assert begin.status_code == 200 and begin.json()["rp"]["id"] == "testserver"
        key = passkey_for(cast.nurse)
        with mock.patch("taut.accounts.passkeys.Helper.register_complete", return_value=key):
            done = client.post(
                reverse("otp_webauthn:credential-registration-complete"),
                data="{}", content_type="application/json",
            )  # fmt: skip
        assert done.status_code == 200
        assert changes(cast.nurse) == ["mfa_enrolled"]
        clock.shift(timedelta(minutes=11))
        late = client.post(reverse("otp_webauthn:credential-registration-begin"))
        assert late.status_code == 403 and late.json()["code"] == "reauth_required"


def test_the_clinic_setting_sends_members_without_a_factor_to_enrol_first(client, cast):
    cast.clinic.require_mfa = True
    cast.clinic.save(update_fields=["require_mfa"])
    with time_machine.travel(T0, tick=False):
        signed = client.post(LOGIN, {"username": "nurse", "password": PASSWORD})
        assert signed["Location"] == reverse("accounts:security")
        assert client.get(reverse("patients:list"))["Location"] == reverse("accounts:security")
        assert (
            b"Your clinic requires a second factor"
            in client.get(reverse("accounts:security")).content
        )
        client.get(reverse("accounts:totp_add"))
        device = TotpDevice.objects.get(user=cast.nurse)
        client.post(reverse("accounts:totp_add"), {"code": now_code(device)})
        assert client.get(reverse("patients:list")).status_code == 200


def test_new_clinics_require_mfa_and_the_cast_s_do_not(cast):
    from taut.accounts.models import Clinic

    assert Clinic._meta.get_field("require_mfa").default is True
    assert not cast.clinic.require_mfa


def test_a_lead_resets_a_members_factors_and_ends_their_sessions(cast):
    enrolled_app(cast.nurse)
    passkey_for(cast.nurse)
    mfa.new_recovery_codes(user=cast.nurse, actor=Actor.system("test", now=T0))
    lead = Actor.staff(cast.lead, now=T0, address="")
    assert mfa.reset_mfa(member=cast.nurse, actor=lead) >= 3
    assert not mfa.is_enrolled(cast.nurse) and mfa.recovery_codes_left(cast.nurse) == 0
    assert "mfa_reset" in changes(cast.nurse)
    with pytest.raises(NotAllowed):
        mfa.reset_mfa(member=cast.lead, actor=Actor.staff(cast.nurse, now=T0, address=""))


def test_removing_a_factor_is_audited(client, cast, signed_in):
    device = enrolled_app(cast.clinician)
    signed_in(cast.clinician)
    client.post(reverse("accounts:factor_remove"), {"factor": mfa.factor_id(device)})
    assert not mfa.is_enrolled(cast.clinician)
    assert changes(cast.clinician) == ["mfa_removed"]
