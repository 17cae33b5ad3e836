"""The optional portal password: only where the clinic allows it; set only by the patient
(their date of birth for a first one, the current password to change it: a forwarded home
link is not enough); a session opened with date of birth, email and password reaches the
same home page, ends after 15 idle minutes or when the password changes, and is audited like
a link; wrong passwords lock the login for a while, however many arrive at once."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.audit.models import Action, AuditEvent
from taut.portal import services
from taut.portal.access import ACTOR
from taut.portal.models import PatientLogin
from taut.tests.cast import patient_acting, sign_in
from taut.workflows import portal

PASSWORD = "lantern orchard pebble"


@pytest.fixture
def clinic_allows(cast):
    cast.clinic.portal_passwords = True
    cast.clinic.save(update_fields=["portal_passwords"])
    return cast.clinic


def password_url(patient):
    return reverse(
        "portal:password", kwargs={"token": links.home_token(patient, now=timezone.now())}
    )


def sign_in_data(**changes):
    return {
        "date_of_birth": "1970-05-17",
        "email": "ada@example.org",
        "password": PASSWORD,
        **changes,
    }


def set_password(client, patient, **proof):
    """Set the first password from a home link (proof: the patient's date of birth)."""
    data = {"password1": PASSWORD, "password2": PASSWORD, "date_of_birth": "1970-05-17"}
    return client.post(password_url(patient), {**data, **proof})


def change_password(client, url, new, current=PASSWORD):
    return client.post(url, {"current_password": current, "password1": new, "password2": new})


def usable_logins():
    return [login for login in PatientLogin.objects.all() if login.has_password]


def test_it_offers_no_password_where_the_clinic_does_not_allow_it(client, cast):
    assert client.get(password_url(cast.patient)).status_code == 404
    response = set_password(client, cast.patient)
    assert response.status_code == 404
    assert not PatientLogin.objects.exists()


def test_it_sets_a_hashed_password_from_the_home_page(client, cast, clinic_allows):
    home = client.get(
        reverse("portal:home", kwargs={"token": links.home_token(cast.patient, now=timezone.now())})
    )
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


def test_it_audits_the_page_shown_again_after_a_refused_post(client, cast, clinic_allows):
    """The form shown again carries the patient's email: the gate records a VIEW."""
    response = client.post(
        password_url(cast.patient), {"password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert response.status_code == 400 and "ada@example.org" in response.content.decode()
    event = AuditEvent.objects.get(action=Action.VIEW, object_type="portal_home")
    assert event.patient_id == cast.patient.public_id and event.details["status"] == 400


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
        assert "Those details don&#x27;t match our records" in response.content.decode()
    assert client.get(reverse("portal:my_home")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() == 2


def test_it_locks_the_login_after_too_many_wrong_passwords(client, cast, clinic_allows, settings):
    """Locked, the right password is refused with the same words and status as a wrong one
    (so a lock does not show the details were right, or that a login exists)."""
    set_password(client, cast.patient)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong = client.post(reverse("portal:login"), sign_in_data(password="not it at all"))
    locked = client.post(reverse("portal:login"), sign_in_data())
    nobody = client.post(reverse("portal:login"), sign_in_data(email="nobody@example.org"))
    assert locked.status_code == wrong.status_code == nobody.status_code == 400
    message = "Those details don&#x27;t match our records"
    for response in (wrong, locked, nobody):
        assert message in response.content.decode()
        assert "Too many tries" not in response.content.decode()
    assert client.get(reverse("portal:my_home")).status_code == 302
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).order_by("id")
    reasons = failed.values_list("details__reason", flat=True)
    assert list(reasons)[-3:] == ["locked_out", "locked", "invalid"]
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


def test_it_keeps_the_portal_session_apart_from_a_staff_session(client, cast, clinic_allows):
    """Staff and a patient signed in on one browser: two cookies, two sessions; the portal's
    cookie goes only to /p/ pages, holds no staff key, and each signs out alone
    (docs/decisions/0029-separate-portal-session.md)."""
    sign_in(client, cast.nurse)
    staff_key = client.cookies["sessionid"].value
    set_password(client, cast.patient)
    assert client.post(reverse("portal:login"), sign_in_data()).status_code == 302
    portal = client.cookies["taut_portal"]
    assert portal["path"] == "/p/" and portal["httponly"] and portal["samesite"] == "Lax"
    assert client.cookies["sessionid"].value == staff_key  # the staff session untouched
    assert "portal_patient" not in SessionStore(staff_key).load()
    assert "_auth_user_id" not in SessionStore(portal.value).load()
    client.post(reverse("portal:logout"))
    assert client.get(reverse("patients:list")).status_code == 200  # staff still signed in
    assert client.cookies["taut_portal"].value == ""  # deleted
    client.post(reverse("portal:login"), sign_in_data())
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("portal:my_home")).status_code == 200  # the patient still in


def test_it_opens_no_session_page_without_signing_in(client, cast):
    response = client.get(reverse("portal:my_home"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")
    assert AuditEvent.objects.filter(action=Action.DENIED, details__reason="signed_out").exists()


def test_it_changes_the_password_through_a_session_and_keeps_that_session(
    client, cast, clinic_allows
):
    set_password(client, cast.patient)
    client.post(reverse("portal:login"), sign_in_data())
    assert client.get(reverse("portal:my_password")).status_code == 200
    new = "violet harbour compass"
    response = change_password(client, reverse("portal:my_password"), new)
    assert response.status_code == 200
    assert check_password(new, PatientLogin.objects.get(patient=cast.patient).password)
    changed = AuditEvent.objects.filter(object_type="portal_login", action=Action.UPDATE)
    assert changed.count() == 1
    assert changed.get().details["change"] == "password_changed"
    assert client.get(reverse("portal:my_home")).status_code == 200  # still signed in


# --- a forwarded home link must not be enough to take the password over ----------------------


@pytest.mark.parametrize(
    ("proof", "message"),
    [
        ({"date_of_birth": ""}, "Please enter your date of birth."),
        ({"date_of_birth": "1970-05-18"}, "That date of birth does not match"),
    ],
)
def test_it_asks_for_the_date_of_birth_before_a_first_password(
    client, cast, clinic_allows, proof, message
):
    """Whoever holds a (perhaps forwarded) home link cannot set the first password without
    the patient's date of birth; nothing is set, and the refusal is audited."""
    page = client.get(password_url(cast.patient)).content.decode()
    assert "Your date of birth" in page and "current password" not in page
    response = set_password(client, cast.patient, **proof)
    assert response.status_code == 400 and message in response.content.decode()
    assert usable_logins() == []
    assert client.post(reverse("portal:login"), sign_in_data()).status_code == 400


def test_it_asks_for_the_current_password_before_changing_it(client, cast, clinic_allows):
    set_password(client, cast.patient)
    page = client.get(password_url(cast.patient)).content.decode()
    assert "Your current password" in page and "Your date of birth" not in page
    new = "violet harbour compass"
    missing = change_password(client, password_url(cast.patient), new, current="")
    wrong = change_password(client, password_url(cast.patient), new, current="a guess of mine")
    with_birthday = client.post(
        password_url(cast.patient),
        {"date_of_birth": "1970-05-17", "password1": new, "password2": new},
    )
    assert missing.status_code == wrong.status_code == with_birthday.status_code == 400
    assert "Please enter your current password." in missing.content.decode()
    assert "That is not your current password." in wrong.content.decode()
    login = PatientLogin.objects.get(patient=cast.patient)
    assert check_password(PASSWORD, login.password)
    denied = AuditEvent.objects.filter(action=Action.DENIED, object_type="portal_login")
    assert denied.get().details["reason"] == "wrong_current_password"


def test_it_locks_the_password_page_after_too_many_wrong_dates_of_birth(
    client, cast, clinic_allows, settings
):
    """A link holder cannot try every date of birth: the tries count against the lockout."""
    for day in range(1, settings.AXES_FAILURE_LIMIT + 1):
        set_password(client, cast.patient, date_of_birth=f"1971-01-{day:02}")
    locked = set_password(client, cast.patient)  # the right one, too late
    assert locked.status_code == 400 and "Too many tries" in locked.content.decode()
    assert usable_logins() == []
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert set_password(client, cast.patient).status_code == 200


def test_it_ends_the_other_sessions_when_the_password_changes(client, cast, clinic_allows):
    """A password changed from a home link signs the patient out everywhere else."""
    set_password(client, cast.patient)
    signed_in_elsewhere = Client()
    signed_in_elsewhere.post(reverse("portal:login"), sign_in_data())
    assert signed_in_elsewhere.get(reverse("portal:my_home")).status_code == 200
    new = "violet harbour compass"
    assert change_password(client, password_url(cast.patient), new).status_code == 200
    ended = signed_in_elsewhere.get(reverse("portal:my_home"))
    assert ended.status_code == 302
    assert ended["Location"] == reverse("portal:login") + "?ended=password"
    assert (
        "your password was changed" in signed_in_elsewhere.get(ended["Location"]).content.decode()
    )
    denied = AuditEvent.objects.filter(action=Action.DENIED).last()
    assert denied.details["reason"] == "password_changed"
    assert denied.patient_id == cast.patient.public_id


def test_it_ends_a_second_session_when_the_password_changes_in_the_first(
    client, cast, clinic_allows
):
    set_password(client, cast.patient)
    client.post(reverse("portal:login"), sign_in_data())
    second = Client()
    second.post(reverse("portal:login"), sign_in_data())
    change_password(client, reverse("portal:my_password"), "violet harbour compass")
    assert client.get(reverse("portal:my_home")).status_code == 200
    assert second.get(reverse("portal:my_home")).status_code == 302


def test_it_shows_the_patient_when_the_password_was_last_changed(client, cast, clinic_allows):
    cast.clinic.phone = "555-0100"
    cast.clinic.save(update_fields=["phone"])
    when = datetime(2027, 3, 4, 14, 5, tzinfo=cast.clinic.zone())  # the clinic's clock
    with time_machine.travel(when, tick=False):
        done = set_password(client, cast.patient)
    home = client.get(
        reverse("portal:home", kwargs={"token": links.home_token(cast.patient, now=timezone.now())})
    )
    password_page = client.get(password_url(cast.patient))
    for response in (done, home, password_page):
        page = response.content.decode()
        assert "Your password was last changed on <strong>4 Mar 2027 at 14:05</strong>" in page
        assert "If that was not you, please call the clinic" in page
    assert "Change your password" in home.content.decode()
    event = AuditEvent.objects.get(object_type="portal_login", action=Action.CREATE)
    assert event.details["change"] == "password_set"
    assert event.details["proof"] == "date_of_birth"


def test_it_refuses_a_change_that_lost_a_race(cast, clinic_allows, monkeypatch):
    """Two changes at once with the same current password: the second does not silently
    overwrite the first."""
    patient = patient_acting(cast.patient)
    portal.set_password(
        patient=cast.patient, password=PASSWORD, date_of_birth=date(1970, 5, 17), actor=patient
    )
    real = services.check_password

    def other_request_meanwhile(password, encoded):
        monkeypatch.setattr(services, "check_password", real)
        portal.set_password(
            patient=cast.patient,
            password="violet harbour compass",
            current_password=PASSWORD,
            actor=patient,
        )
        return real(password, encoded)

    monkeypatch.setattr(services, "check_password", other_request_meanwhile)
    with pytest.raises(services.PasswordConflict):
        portal.set_password(
            patient=cast.patient,
            password="amber meadow lantern",
            current_password=PASSWORD,
            actor=patient,
        )
    login = PatientLogin.objects.get(patient=cast.patient)
    assert check_password("violet harbour compass", login.password)
