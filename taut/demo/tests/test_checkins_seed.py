from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from taut.aftercare.models import Alert, CheckIn
from taut.aftercare.queries import checkins_to_chase
from taut.audit.services import verify_chain
from taut.demo.seed import seed_demo


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One demo clinic of 60 patients for the module, rolled back at its end."""
    today = timezone.localdate()
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        result = seed_demo(seed=2026, patients_wanted=60, today=today)
        yield result.clinic, today
        transaction.set_rollback(True)


def test_past_checkins_are_answered_but_a_few_recent_ones(seeded, db):
    clinic, today = seeded
    past = CheckIn.objects.filter(patient__clinic=clinic, due_on__lt=today)
    open_ = past.filter(completed_at__isnull=True)
    assert past.count() >= 50
    assert 1 <= open_.count() <= 8
    assert not open_.filter(due_on__lt=today - timedelta(days=21)).exists()
    assert 1 <= len(checkins_to_chase(clinic, today=today)["overdue"]) <= 8
    done = past.filter(completed_at__isnull=False)
    assert all(c.source == "staff_phone" and c.recorded_by.username == "nurse" for c in done)
    assert all(timezone.localdate(c.completed_at) == c.due_on for c in done)
    assert not CheckIn.objects.filter(due_on__gte=today, completed_at__isnull=False).exists()


def test_answers_tell_a_course_soreness_fades_and_pain_follows_relief(seeded, db):
    clinic, _ = seeded
    done = CheckIn.objects.filter(patient__clinic=clinic, completed_at__isnull=False)
    day1 = [c.soreness for c in done.filter(checkpoint="day_1")]
    week2 = [c.soreness for c in done.filter(checkpoint="week_2")]
    assert day1 and all(5 <= s <= 7 for s in day1)
    assert sum(week2) <= len(week2)  # gone, but for an infection
    responders = 0
    for c in done.filter(checkpoint="week_2").select_related("visit__intake"):
        baseline = c.visit.intake.nrs_average
        if c.nrs * 2 <= baseline:
            responders += 1
            assert c.pgic in {"very_much_improved", "much_improved"}
    assert responders >= len(week2) // 4


def test_infection_answers_raise_alerts_one_acknowledged(seeded, db):
    clinic, _ = seeded
    alerts = Alert.objects.filter(patient__clinic=clinic)
    assert 2 <= alerts.count() <= 3
    assert set(alerts.values_list("code", flat=True)) == {"infection"}
    closed = alerts.filter(acknowledged_at__isnull=False).get()
    assert closed.acknowledged_by.username == "clinician" and closed.note
    assert alerts.filter(acknowledged_at__isnull=True).exists()
    assert all(timezone.localdate(a.raised_at) == a.checkin.due_on for a in alerts)


def test_a_second_run_changes_nothing_and_the_audit_chain_holds(seeded, db):
    _, today = seeded

    def state():
        return (
            list(CheckIn.objects.order_by("pk").values_list("pk", "completed_at", "answers")),
            list(Alert.objects.order_by("pk").values_list("pk", "acknowledged_at")),
        )

    before = state()
    seed_demo(seed=2026, patients_wanted=60, today=today)
    assert state() == before
    assert verify_chain().ok
