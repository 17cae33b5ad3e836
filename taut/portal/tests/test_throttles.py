"""The portal's throttles count in the store every worker shares (taut.accounts.throttles):
sign-ins per email across addresses, and refused links per address, which a worker's own
memory (an emptied cache) does not reset."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from taut.audit.models import Action, AuditEvent
from taut.portal.models import PatientLogin
from taut.tests.cast import patient_acting
from taut.workflows import portal

PASSWORD = "lantern orchard pebble"
BIRTHDAY = date(1970, 5, 17)
NOW = datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC)


@pytest.fixture
def login(cast):
    cast.clinic.portal_passwords = True
    cast.clinic.save(update_fields=["portal_passwords"])
    portal.set_password(
        patient=cast.patient, password=PASSWORD, date_of_birth=BIRTHDAY,
        actor=patient_acting(cast.patient),
    )  # fmt: skip
    return PatientLogin.objects.get(patient=cast.patient)


def sign_in(client, password, ip):
    data = {"date_of_birth": BIRTHDAY.isoformat(), "email": "ADA@example.org", "password": password}
    return client.post(reverse("portal:login"), data, REMOTE_ADDR=ip)


def test_it_slows_one_email_tried_from_many_addresses(client, login, settings):
    settings.SIGN_IN_FAILURES_PER_USERNAME = 2
    with time_machine.travel(NOW, tick=False):
        statuses = [sign_in(client, "wrong guess", f"10.4.0.{n}").status_code for n in range(2)]
        refused = sign_in(client, PASSWORD, "10.4.0.9")
    assert statuses == [400, 400]
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(900 - 30)
    assert "Too many tries" in refused.content.decode()
    event = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).order_by("-id").first()
    assert (event.details["reason"], event.details["scope"]) == ("throttled", "sign-in-username")


def test_it_holds_the_refused_link_limit_whatever_a_worker_remembers(client, cast, settings):
    """The count is in the database: a worker with an empty cache (cleared here between
    requests, as each gunicorn worker's own memory would be) still sees the others' refusals."""
    settings.PORTAL_REFUSALS_PER_ADDRESS = 3
    bad = reverse("portal:checkin", kwargs={"token": "made-up-token"})
    statuses = []
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            cache.clear()
            statuses.append(client.get(bad).status_code)
        last = client.get(bad)
    assert statuses == [404, 404, 404, 429, 429]
    assert last["Retry-After"] == str(600 - 30)
