"""The optional portal password: only where the clinic allows it; a session opened with date
of birth, email and password reaches the same home page, ends after 15 idle minutes, and is
audited like a link; wrong passwords lock the login for a while."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils import timezone

from taut.audit.models import Action, AuditEvent
from taut.portal import links
from taut.portal.access import ACTOR
from taut.portal.models import PatientLogin

PASSWORD = "lantern orchard pebble"


@pytest.fixture
def clinic_allows(cast):
    cast.clinic.portal_passwords = True
    cast.clinic.save(update_fields=["portal_passwords"])
    return cast.clinic


def password_url(patient):
    return reverse("portal:password", kwargs={"token": links.home_token(patient)})


def sign_in_data(**changes):
    return {
        "date_of_birth": "1970-05-17",
        "email": "ada@example.org",
        "password": PASSWORD,
        **changes,
    }


def set_password(client, patient):
    data = {"password1": PASSWORD, "password2": PASSWORD}
    return client.post(password_url(patient), data)


def test_it_offers_no_password_where_the_clinic_does_not_allow_it(client, cast):
    assert client.get(password_url(cast.patient)).status_code == 404
    response = set_password(client, cast.patient)
    assert response.status_code == 404
    assert not PatientLogin.objects.exists()


def test_it_sets_a_hashed_password_from_the_home_page(client, cast, clinic_allows):
    home = client.get(reverse("portal:home", kwargs={"token": links.home_token(cast.patient)}))
    assert "Set a password" in home.content.decode()
    response = set_password(client, cast.patient)
    assert response.status_code == 200 and "Your password is saved" in response.content.decode()
    login = PatientLogin.objects.get(patient=cast.patient)
    assert login.password != PASSWORD and check_password(PASSWORD, login.password)
    event = AuditEvent.objects.get(object_type="portal_login")
    assert event.action == Action.CREATE and event.actor_username == ACTOR


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "at least 12 characters"),
        ("123456789012345", "entirely numeric"),
        ("quillbrook1970", "too similar"),
    ],
)
def test_it_refuses_a_weak_password_and_saves_nothing(
    client, cast, clinic_allows, password, message
):
    response = client.post(
        password_url(cast.patient), {"password1": password, "password2": password}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PatientLogin.objects.exists()


def test_it_refuses_two_different_passwords(client, cast, clinic_allows):
    response = client.post(
        password_url(cast.patient), {"password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert response.status_code == 400 and "not the same" in response.content.decode()
    assert not PatientLogin.objects.exists()


def test_it_signs_in_to_the_same_home_page_without_a_token(client, cast, clinic_allows):
    set_password(client, cast.patient)
    response = client.post(reverse("portal:login"), sign_in_data())
    assert response.status_code == 302 and response["Location"] == reverse("portal:my_home")
    home = client.get(reverse("portal:my_home"))
    assert home.status_code == 200 and home.context["patient"] == cast.patient
    assert "Sign out" in home.content.decode()
    view = AuditEvent.objects.filter(action=Action.VIEW, object_type="portal_home").last()
    assert view.details["by"] == "session" and view.patient_id == cast.patient.public_id
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor_username=ACTOR).exists()


def test_it_refuses_a_wrong_password_or_date_of_birth(client, cast, clinic_allows):
    set_password(client, cast.patient)
    wrong_password = client.post(reverse("portal:login"), sign_in_data(password="not it at all"))
    wrong_birthday = client.post(reverse("portal:login"), sign_in_data(date_of_birth="1970-05-18"))
    for response in (wrong_password, wrong_birthday):
        assert response.status_code == 400
        assert "We could not sign you in" in response.content.decode()
    assert client.get(reverse("portal:my_home")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() == 2


def test_it_locks_the_login_after_too_many_wrong_passwords(client, cast, clinic_allows, settings):
    set_password(client, cast.patient)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("portal:login"), sign_in_data(password="not it at all"))
    locked = client.post(reverse("portal:login"), sign_in_data())
    assert locked.status_code == 429 and "Too many tries" in locked.content.decode()
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert client.post(reverse("portal:login"), sign_in_data()).status_code == 302


def test_it_ends_the_session_after_the_idle_limit(client, cast, clinic_allows, settings):
    """The gate's own check (the stored session also lapses after SESSION_COOKIE_AGE)."""
    settings.SESSION_IDLE_SECONDS = 60
    set_password(client, cast.patient)
    client.post(reverse("portal:login"), sign_in_data())
    later = timezone.now() + timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        response = client.get(reverse("portal:my_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:login") + "?ended=1"
    denied = AuditEvent.objects.filter(action=Action.DENIED).last()
    assert (
        denied.details["reason"] == "idle_timeout" and denied.patient_id == cast.patient.public_id
    )
    assert client.get(reverse("portal:my_home")).status_code == 302  # still signed out


def test_it_signs_out_once_the_stored_session_lapses(client, cast, clinic_allows, settings):
    set_password(client, cast.patient)
    client.post(reverse("portal:login"), sign_in_data())
    later = timezone.now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        response = client.get(reverse("portal:my_home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


def test_it_ends_the_session_when_the_clinic_turns_passwords_off(client, cast, clinic_allows):
    set_password(client, cast.patient)
    client.post(reverse("portal:login"), sign_in_data())
    clinic_allows.portal_passwords = False
    clinic_allows.save(update_fields=["portal_passwords"])
    assert client.get(reverse("portal:my_home")).status_code == 302
    assert client.post(reverse("portal:login"), sign_in_data()).status_code == 400


def test_it_signs_out(client, cast, clinic_allows):
    set_password(client, cast.patient)
    client.post(reverse("portal:login"), sign_in_data())
    response = client.post(reverse("portal:logout"))
    assert response.status_code == 302
    assert client.get(reverse("portal:my_home")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor_username=ACTOR).exists()


def test_it_opens_no_session_page_without_signing_in(client, cast):
    response = client.get(reverse("portal:my_home"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")
    assert AuditEvent.objects.filter(action=Action.DENIED, details__reason="signed_out").exists()


def test_it_changes_the_password_through_a_session(client, cast, clinic_allows):
    set_password(client, cast.patient)
    client.post(reverse("portal:login"), sign_in_data())
    assert client.get(reverse("portal:my_password")).status_code == 200
    new = "violet harbour compass"
    response = client.post(reverse("portal:my_password"), {"password1": new, "password2": new})
    assert response.status_code == 200
    assert check_password(new, PatientLogin.objects.get(patient=cast.patient).password)
    changed = AuditEvent.objects.filter(object_type="portal_login", action=Action.UPDATE)
    assert changed.count() == 1
