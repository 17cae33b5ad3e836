"""The sign-in throttles every worker shares (taut.accounts.throttles): per address and per
username, each on its own; a ceiling on password hashes per second answered 429 with
Retry-After before any hash; counts kept in the database, not in a process's memory; and the
failed sign-ins a clinic's lead sees in their audit log."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import base_user
from django.core.cache import cache
from django.db import connection

from taut.accounts import throttles
from taut.audit.models import Action, AuditEvent
from taut.tests.cast import PASSWORD

LOGIN = "/login/"
NOW = datetime(2026, 3, 2, 9, 0, 0, 250_000, tzinfo=UTC)


WRONG = "not the password at all"


def attempt(client, username, password=WRONG, ip="10.0.0.5"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize(
    ("now", "seconds", "start", "retry"),
    [
        (NOW, 1, datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC), 1),
        (NOW, 900, datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC), 900),
        (
            datetime(2026, 3, 2, 9, 14, 59, tzinfo=UTC),
            900,
            datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
            1,
        ),
        (
            datetime(2026, 3, 2, 9, 20, tzinfo=UTC),
            600,
            datetime(2026, 3, 2, 9, 20, tzinfo=UTC),
            600,
        ),
    ],
)
def test_it_counts_in_fixed_windows(now, seconds, start, retry):
    assert throttles.window_start(now, seconds) == start
    assert throttles.retry_after(now, seconds) == retry


@pytest.mark.parametrize(
    ("now", "seconds", "field"),
    [(datetime(2026, 3, 2, 9, 0), 60, "now"), (NOW, 0, "seconds")],
)
def test_it_names_the_bad_input(now, seconds, field):
    with pytest.raises(ValueError, match=field):
        throttles.window_start(now, seconds)


def test_it_slows_spraying_many_usernames_from_one_address(client, cast, settings):
    """Each username fails once only (no per-username lockout could see it); the address
    limit does: past it, 429 with Retry-After, before the password is looked at."""
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 3
    with time_machine.travel(NOW, tick=False):
        statuses = [attempt(client, f"someone{n}").status_code for n in range(3)]
        refused = attempt(client, "clinician", PASSWORD)
        other_address = attempt(client, "nurse", PASSWORD, ip="10.0.0.6")
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    assert b"Too many failed sign-ins from your network" in refused.content
    assert other_address.status_code == 302


def test_it_slows_one_username_tried_from_many_addresses(client, cast, settings):
    settings.SIGN_IN_FAILURES_PER_USERNAME = 3
    with time_machine.travel(NOW, tick=False):
        statuses = [attempt(client, "Clinician", ip=f"10.1.0.{n}").status_code for n in range(3)]
        refused = attempt(client, "clinician", PASSWORD, ip="10.1.0.9")
        colleague = attempt(client, "nurse", PASSWORD, ip="10.1.0.9")
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert b"for this username" in refused.content
    assert colleague.status_code == 302
    # The first refusal of the window is audited, in the clinician's clinic.
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED, details__throttled__isnull=False)
    assert (event.details["throttled"], event.clinic_id) == ("sign-in-username", cast.clinic.pk)


def test_it_gives_back_the_tries_of_a_sign_in_that_succeeds(client, cast, settings):
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 2
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            assert attempt(client, "nurse", PASSWORD).status_code == 302
            client.logout()
        assert attempt(client, "nobody").status_code == 200


def test_it_answers_429_past_the_hashing_ceiling_without_hashing(
    client, cast, settings, monkeypatch
):
    """Known and unknown usernames alike spend the budget (an unknown one costs a dummy
    hash); past it, a polite 429 with Retry-After: 1 and the hasher is not called."""
    settings.PASSWORD_HASHES_PER_SECOND = 2
    hashed = []
    real_check, real_make = base_user.check_password, base_user.make_password
    monkeypatch.setattr(base_user, "check_password", lambda *a: hashed.append(1) or real_check(*a))
    monkeypatch.setattr(base_user, "make_password", lambda *a: hashed.append(1) or real_make(*a))
    with time_machine.travel(NOW, tick=False):
        assert attempt(client, "nobody-at-all", ip="10.2.0.1").status_code == 200
        assert attempt(client, "clinician", ip="10.2.0.2").status_code == 200
        spent = len(hashed)
        refused = attempt(client, "nurse", PASSWORD, ip="10.2.0.3")
        assert len(hashed) == spent  # no hash for the refused try
    assert spent >= 2
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"
    assert b"Many people are signing in" in refused.content
    with time_machine.travel(NOW.replace(second=1), tick=False):  # the next second
        assert attempt(client, "nurse", PASSWORD, ip="10.2.0.3").status_code == 302


def test_it_keeps_the_counts_in_the_database_every_process_reads(client, cast, settings):
    """The counts are rows in the database: clearing this process's cache changes nothing,
    and a plain SQL read (what another worker's connection runs) finds them."""
    settings.SIGN_IN_FAILURES_PER_USERNAME = 2
    with time_machine.travel(NOW, tick=False):
        attempt(client, "clinician", ip="10.3.0.1")
        attempt(client, "clinician", ip="10.3.0.2")
        cache.clear()
        assert attempt(client, "clinician", PASSWORD, ip="10.3.0.3").status_code == 429
    key = throttles.Limit("sign-in-username", 2, 900).key("clinician")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count FROM accounts_throttlecount WHERE key = %s", [key])
        assert cursor.fetchone()[0] == 3
    assert "clinician" not in key  # a keyed hash, never the username


def test_it_files_a_failed_sign_in_under_the_users_clinic_for_its_lead(client, cast, signed_in):
    attempt(client, "clinician")
    attempt(client, "no-such-user")
    events = AuditEvent.objects.filter(action=Action.LOGIN_FAILED)
    assert {e.actor_username: e.clinic_id for e in events} == {
        "clinician": cast.clinic.pk,
        "no-such-user": None,
    }
    signed_in(cast.lead)
    page = client.get("/clinic/audit/", {"action": Action.LOGIN_FAILED}).content.decode()
    assert "clinician" in page and "no-such-user" not in page


def test_it_files_another_clinics_probe_under_the_patients_clinic_too(client, cast, signed_in):
    """The outsider gets 404 as before; the refusal is in both clinics' logs, so the lead of
    the clinic whose patient was probed sees it (filtered to refusals)."""
    signed_in(cast.outsider)
    assert client.get(f"/patients/{cast.patient.public_id}/").status_code == 404
    events = AuditEvent.objects.filter(action=Action.DENIED, actor_id=cast.outsider.pk)
    assert sorted(e.clinic_id for e in events) == sorted([cast.clinic.pk, cast.other_clinic.pk])
    client.logout()
    signed_in(cast.lead)
    page = client.get("/clinic/audit/", {"action": Action.DENIED}).content.decode()
    assert cast.outsider.username in page


def test_it_reads_back_through_the_orm_what_the_upsert_counted(db):
    limit = throttles.Limit("test-scope", 2, 60)
    throttles.take(limit, "a", now=NOW)
    throttles.take(limit, "a", now=NOW)
    with pytest.raises(throttles.Throttled) as refused:
        throttles.take(limit, "a", now=NOW)
    assert (refused.value.first, refused.value.retry_after) == (True, 60)
    assert throttles.count(limit.key("a"), seconds=60, now=NOW) == 3
    assert throttles.purge_counts(now=NOW) == 0
    assert throttles.purge_counts(now=NOW.replace(day=4)) == 1


def test_it_counts_in_the_cache_when_redis_is_configured(settings):
    """With REDIS_URL the store is Django's cache (here local memory, standing in for Redis:
    the same ``add``/``incr`` calls)."""
    settings.THROTTLE_STORE = "cache"
    limit = throttles.Limit("cache-scope", 1, 60)
    throttles.take(limit, "b", now=NOW)
    with pytest.raises(throttles.Throttled):
        throttles.take(limit, "b", now=NOW)
    throttles.give_back(limit, "b", now=NOW)
    assert throttles.count(limit.key("b"), seconds=60, now=NOW) == 1
    assert throttles.count(limit.key("b"), seconds=60, now=NOW.replace(minute=1)) == 0
