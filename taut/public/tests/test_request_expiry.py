"""Expiry and the throttle's store, with time as an input: a request expires after its
clinic's days (or the deployment's), is purged then with an audit row, and the counts
live in the database that every process shares."""

from datetime import UTC, datetime, timedelta

import pytest

from taut.accounts.models import ThrottleCount
from taut.audit.models import Action, AuditEvent
from taut.public import request_queries
from taut.public import request_services as services
from taut.public.models import AppointmentRequest
from taut.public.request_queries import open_requests_for_clinic
from taut.public.tests.request_flow import make_request, visitor, visitor_actor

pytestmark = pytest.mark.usefixtures("clinic_clock_in_utc")

SENT = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def test_it_expires_after_the_deployments_days_by_default(cast, settings):
    settings.APPOINTMENT_REQUEST_DAYS = 14
    item = make_request(cast.clinic, now=SENT)
    assert item.expires_at == SENT + timedelta(days=14)


def test_it_expires_after_the_clinics_own_days(cast):
    cast.clinic.appointment_request_days = 3
    cast.clinic.save(update_fields=["appointment_request_days"])
    item = make_request(cast.clinic, now=SENT)
    assert item.expires_at == SENT + timedelta(days=3)
    open_before = open_requests_for_clinic(cast.clinic, now=SENT + timedelta(days=3, seconds=-1))
    assert list(open_before) == [item]
    assert not open_requests_for_clinic(cast.clinic, now=SENT + timedelta(days=3)).exists()


def test_it_purges_expired_requests_of_every_status_and_audits_each(cast):
    old = make_request(cast.clinic, now=SENT)
    fresh = make_request(cast.clinic, now=SENT + timedelta(days=10), address="192.0.2.99")
    purged = services.purge_expired(now=SENT + timedelta(days=14))
    assert purged == 1
    assert list(AppointmentRequest.objects.all()) == [fresh]
    event = AuditEvent.objects.get(action=Action.DELETE, object_type="appointment_request")
    assert event.object_id == str(old.public_id)
    assert event.details == {"change": "expired", "status": "open"}
    assert event.clinic_id == cast.clinic.pk
    # Throttle windows older than two days go too.
    assert not ThrottleCount.objects.filter(window_start__lt=SENT + timedelta(days=12)).exists()


def test_it_counts_in_the_database_so_another_process_count_refuses_here(cast, settings):
    """A count written by another server process (a row, as it would write it) is the
    count this one reads."""
    settings.APPOINTMENT_REQUEST_PER_ADDRESS_PER_HOUR = 3
    hour = SENT.replace(minute=0)
    ThrottleCount.objects.create(key=services.address_key("192.0.2.10"), window_start=hour, count=3)
    with pytest.raises(services.Throttled) as refused:
        make_request(cast.clinic, now=SENT)
    assert refused.value.scope == "address"
    assert not AppointmentRequest.objects.exists()
    # The refusal rolled its own count back; the next hour is a new window.
    assert ThrottleCount.objects.get(window_start=hour).count == 3
    assert make_request(cast.clinic, now=SENT + timedelta(hours=1))


def test_it_counts_a_clinics_day_by_the_clinics_clock(cast, settings):
    settings.APPOINTMENT_REQUEST_PER_CLINIC_PER_DAY = 1
    make_request(cast.clinic, now=SENT, address="192.0.2.1")
    with pytest.raises(services.Throttled) as refused:
        make_request(cast.clinic, now=SENT + timedelta(hours=2), address="192.0.2.2")
    assert refused.value.scope == "clinic"
    assert make_request(cast.clinic, now=SENT + timedelta(days=1), address="192.0.2.3")


def test_it_refuses_staff_or_another_clinic_as_the_visitor(cast):
    actor = visitor_actor(cast.other_clinic, now=SENT)
    with pytest.raises(services.NotAllowed):
        services.submit_request(clinic=cast.clinic, visitor=visitor(), actor=actor)
    assert not AppointmentRequest.objects.exists()


def test_it_caps_the_top_bars_count(cast, monkeypatch):
    assert request_queries.open_count_label(cast.clinic.pk, now=SENT) == ""
    for n in range(3):
        make_request(cast.clinic, now=SENT, address=f"192.0.2.{n}")
    assert request_queries.open_count_label(cast.clinic.pk, now=SENT) == "3"
    monkeypatch.setattr(request_queries, "NAV_COUNT_CAP", 3)
    assert request_queries.open_count_label(cast.clinic.pk, now=SENT) == "2+"
    assert request_queries.open_count_label(cast.clinic.pk, now=SENT + timedelta(days=15)) == ""
