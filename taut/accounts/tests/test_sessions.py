import time
from datetime import timedelta

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from taut.accounts import services
from taut.accounts.roles import Role
from taut.audit.models import Action, AuditEvent
from taut.tests.cast import PASSWORD, acting

HOME = "/patients/"


def logged_in_client(username):
    client = Client()
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_it_keeps_a_session_alive_while_it_is_used(db, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client("nurse")
        for _ in range(5):
            clock.shift(timedelta(minutes=14))
            assert client.get(HOME).status_code == 200


def test_it_ends_a_session_after_fifteen_idle_minutes(db, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client("nurse")
        clock.shift(timedelta(minutes=14, seconds=59))
        assert client.get(HOME).status_code == 200
        clock.shift(timedelta(minutes=15, seconds=1))
        response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_ends_a_session_twelve_hours_after_login_even_when_active(db, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client("nurse")
        for _ in range(12 * 6):  # a request every 10 minutes for 12 hours
            clock.shift(timedelta(minutes=10))
            last = client.get(HOME)
        assert last.status_code == 200  # exactly 12 h: still in
        clock.shift(timedelta(minutes=1))
        response = client.get(HOME)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action=Action.LOGOUT, details__reason="absolute_timeout"
    ).exists()


def test_it_sends_htmx_requests_to_login_with_a_full_redirect(db, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client("nurse")
        clock.shift(timedelta(minutes=16))
        response = client.get(HOME, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == reverse("accounts:login")


def test_it_ends_every_session_of_a_deactivated_member(db, cast):
    phone, laptop = logged_in_client("nurse"), logged_in_client("nurse")
    assert Session.objects.count() == 2
    services.update_staff(member=cast.nurse, role=Role.NURSE, active=False, actor=acting(cast.lead))
    assert Session.objects.count() == 0
    for client in (phone, laptop):
        assert client.get(HOME).status_code == 302
    assert Client().post("/login/", {"username": "nurse", "password": PASSWORD}).status_code == 200


def test_it_marks_signed_in_pages_uncacheable(client, cast, signed_in):
    signed_in(cast.nurse)
    response = client.get(HOME)
    assert "no-store" in response["Cache-Control"]


def test_it_starts_the_clock_at_login_not_at_session_creation(db, cast):
    client = logged_in_client("nurse")
    started = client.session["taut_started"]
    assert abs(started - time.time()) < 5


def test_it_times_out_superusers_too(db):
    from taut.accounts.models import User

    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        response = client.post("/login/", {"username": "root", "password": PASSWORD})
        assert response["Location"] == reverse("admin:index")
        assert client.get("/admin/").status_code == 200
        clock.shift(timedelta(minutes=16))
        assert client.get("/admin/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor_username="root").exists()


def test_it_sends_the_admin_login_to_the_audited_login_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_stamps_the_session_at_most_once_a_minute(db, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = logged_in_client("nurse")
        key = client.session.session_key

        def expiry():
            return Session.objects.get(session_key=key).expire_date

        clock.shift(timedelta(seconds=61))
        assert client.get(HOME).status_code == 200
        stamped = expiry()
        clock.shift(timedelta(seconds=30))
        assert client.get(HOME).status_code == 200
        assert expiry() == stamped  # within the minute: the session row is not rewritten
        clock.shift(timedelta(seconds=31))
        assert client.get(HOME).status_code == 200
        assert expiry() > stamped
