"""Portal sign-in under attack: every try is counted before its password is checked, so tries
sent all at once cannot get past the lockout; and a locked login, an unknown one and an open
one take the same work (one password hash) and read the same."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore

from taut.portal import services, sessions
from taut.portal.models import PatientLogin
from taut.tests.cast import patient_acting
from taut.workflows import portal

PASSWORD = "lantern orchard pebble"
BIRTHDAY = date(1970, 5, 17)


@pytest.fixture
def login(cast):
    cast.clinic.portal_passwords = True
    cast.clinic.save(update_fields=["portal_passwords"])
    portal.set_password(
        patient=cast.patient,
        password=PASSWORD,
        date_of_birth=BIRTHDAY,
        actor=patient_acting(cast.patient),
    )
    return PatientLogin.objects.get(patient=cast.patient)


def sign_in(rf, password, **details):
    request = rf.post("/p/sign-in/")
    request.session, request.user = SessionStore(), AnonymousUser()
    request.portal_session = SessionStore()
    fields = {"date_of_birth": BIRTHDAY, "email": "ada@example.org", **details}
    try:
        return sessions.log_in(request, password=password, **fields)
    except services.LoginRefused as error:
        return error.reason


def test_it_checks_no_more_than_the_limit_of_tries_sent_all_at_once(
    login, rf, settings, monkeypatch
):
    """Each request arrives while the one before is still hashing its password (so none has
    counted a failure yet, in a check-then-count design). Only AXES_FAILURE_LIMIT passwords
    are checked; the right password, sent after them, opens nothing."""
    guesses = [f"wrong guess {n}" for n in range(settings.AXES_FAILURE_LIMIT + 2)] + [PASSWORD]
    checked, outcomes = [], {}
    real_check, real_make = sessions.check_password, sessions.make_password

    def send(n):
        outcomes[n] = sign_in(rf, guesses[n])

    def next_arrives(password):
        n = guesses.index(password)
        if n + 1 < len(guesses) and n + 1 not in outcomes:
            outcomes[n + 1] = "sending"
            send(n + 1)

    def slow_check(password, encoded):
        checked.append(password)
        next_arrives(password)
        return real_check(password, encoded)

    def slow_hash(password):
        next_arrives(password)
        return real_make(password)

    monkeypatch.setattr(sessions, "check_password", slow_check)
    monkeypatch.setattr(sessions, "make_password", slow_hash)
    send(0)
    assert checked == guesses[: settings.AXES_FAILURE_LIMIT]
    assert outcomes[len(guesses) - 1] == "locked"
    login.refresh_from_db()
    assert login.locked_until is not None


@pytest.mark.parametrize("state", ["open", "locked", "unknown"])
def test_it_hashes_the_password_once_whatever_the_login(login, rf, settings, monkeypatch, state):
    """The time a refusal takes does not tell a locked login from an unknown or open one."""
    if state == "locked":
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(rf, "not it at all")
    hashes = []
    real_check, real_make = sessions.check_password, sessions.make_password
    monkeypatch.setattr(
        sessions, "check_password", lambda *args: hashes.append("check") or real_check(*args)
    )
    monkeypatch.setattr(
        sessions, "make_password", lambda *args: hashes.append("make") or real_make(*args)
    )
    email = "nobody@example.org" if state == "unknown" else "ada@example.org"
    outcome = sign_in(rf, "not it either", email=email)
    assert outcome == ("locked" if state == "locked" else "invalid")
    assert len(hashes) == 1


def test_it_starts_counting_again_once_a_lock_runs_out(login, rf, settings, time_machine):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(rf, "not it at all")
    assert sign_in(rf, PASSWORD) == "locked"
    time_machine.move_to(login.updated_at + settings.AXES_COOLOFF_TIME * 2, tick=False)
    assert sign_in(rf, "not it at all") == "invalid"
    login.refresh_from_db()
    assert login.failed_attempts == 1 and login.locked_until is None
    assert sign_in(rf, PASSWORD) == login.patient
