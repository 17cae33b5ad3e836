from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from taut.audit.models import Action, AuditEvent
from taut.tests.cast import PASSWORD

LOGIN = "/login/"


def attempt(client, username, password, ip="10.0.0.5"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_it_logs_in_and_audits_it(client, cast):
    response = attempt(client, "clinician", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:list")
    event = AuditEvent.objects.filter(action=Action.LOGIN).get()
    assert (event.actor_id, event.client_ip) == (cast.clinician.pk, "10.0.0.5")


def test_it_refuses_a_wrong_password_and_audits_the_username_only(client, cast):
    response = attempt(client, "clinician", "not the password at all")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    event = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).get()
    assert event.actor_username == "clinician"
    assert "not the password" not in str(event.details)


def test_it_logs_out_on_post_and_audits_it(client, cast):
    attempt(client, "nurse", PASSWORD)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor_id=cast.nurse.pk).exists()
    assert client.get(reverse("patients:list")).status_code == 302


def test_it_does_not_log_out_on_get(client, cast):
    attempt(client, "nurse", PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_it_locks_a_username_and_address_after_ten_failures(client, cast):
    for _ in range(10):
        attempt(client, "clinician", "wrong password here")
    response = attempt(client, "clinician", PASSWORD)
    assert response.status_code == 429
    assert b"Sign-in is paused for 15 minutes" in response.content
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_it_allows_nine_failures_then_a_correct_password(client, cast):
    for _ in range(9):
        attempt(client, "clinician", "wrong password here")
    assert attempt(client, "clinician", PASSWORD).status_code == 302


def test_it_never_locks_by_address_alone(client, cast):
    for _ in range(10):
        attempt(client, "clinician", "wrong password here", ip="10.0.0.5")
    # Same clinic address, a colleague: still allowed.
    assert attempt(client, "nurse", PASSWORD, ip="10.0.0.5").status_code == 302
    client.logout()
    # The locked user from another address: still allowed.
    assert attempt(client, "clinician", PASSWORD, ip="10.9.9.9").status_code == 302


def test_it_lifts_the_lockout_after_fifteen_minutes(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(10):
            attempt(client, "clinician", "wrong password here")
        assert attempt(client, "clinician", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert attempt(client, "clinician", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert attempt(client, "clinician", PASSWORD).status_code == 302


def test_it_ignores_an_unsafe_next_url(client, cast):
    response = client.post(
        LOGIN, {"username": "clinician", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("patients:list")


def test_it_carries_only_a_path_on_this_site_into_the_form(client):
    page = client.get(LOGIN, {"next": "/visits/today/"}).content.decode()
    assert 'name="next" value="/visits/today/"' in page
    page = client.get(LOGIN, {"next": "https://evil.example/"}).content.decode()
    assert 'name="next"' not in page and "evil.example" not in page


@pytest.mark.parametrize(
    ("target", "secure", "expected"),
    [("/visits/today/", True, "/visits/today/"), ("http://testserver/visits/today/", True, None),
     ("//evil.example/", False, None)],
)  # fmt: skip
def test_it_follows_next_only_to_a_path_on_this_site(client, cast, target, secure, expected):
    """Over HTTPS too: a full URL, even this site's over plain http, is not followed."""
    data = {"username": "clinician", "password": PASSWORD, "next": target}
    response = client.post(LOGIN, data, secure=secure)
    assert response["Location"] == (expected or reverse("patients:list"))


@pytest.mark.parametrize(
    "password, ok",
    [
        ("elevenchars", False),
        ("twelve chars", True),
        ("password1234", False),  # common
        ("384729104857", False),  # all digits
        ("correct horse battery staple", True),
        ("x" * 11 + "y", True),
    ],
)
def test_it_requires_passwords_of_twelve_characters(password, ok):
    try:
        password_validation.validate_password(password)
    except ValidationError:
        assert not ok
    else:
        assert ok


def test_it_hashes_passwords_with_argon2_in_production_settings():
    from django.conf import settings as real

    from taut import settings as module

    assert module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert real.AUTH_USER_MODEL == "accounts.User"
