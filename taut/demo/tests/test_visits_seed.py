from collections import Counter
from datetime import timedelta
from itertools import pairwise

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from taut.aftercare.models import CheckIn
from taut.audit.services import verify_chain
from taut.demo.seed import seed_demo
from taut.visits.models import InjectionSite, Note, Visit
from taut.visits.services.note import note_is_intact
from taut.visits.services.procedure import dose_check

State = Visit.State


# The clinic test_checkins_seed.py seeds: the smallest that still tells every story the
# demo's tests look for.
PATIENTS = 30


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One demo clinic of PATIENTS patients for the whole module, rolled back at its end (each
    test runs in a savepoint inside it). Fast password hashing, as conftest does per test."""
    today = timezone.localdate()
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        seed_demo(seed=2026, patients_wanted=PATIENTS, today=today)
        yield today
        transaction.set_rollback(True)


def test_past_visits_are_signed_notes_with_sites_within_the_dose_limit(seeded, db):
    today = seeded
    past = Visit.objects.filter(scheduled_for__date__lt=today)
    signed = past.filter(state=State.SIGNED).select_related("note", "procedure", "intake")
    assert signed.count() >= 10
    assert past.filter(scheduled_for__date__lt=today - timedelta(days=120)).exists()
    for v in signed:
        assert note_is_intact(v.note) and v.note.cpt_code and v.note.icd_codes
        assert timezone.localdate(v.note.signed_at) == timezone.localdate(v.scheduled_for)
        assert 1 <= v.procedure.sites.count() <= 5
        assert v.procedure.nrs_after is not None and v.procedure.complications
        assert dose_check(v.procedure).fraction <= 1
        if v.intake.anticoagulant_or_antiplatelet:
            assert v.decisions.get().kind == "proceed"
    sites = InjectionSite.objects.filter(procedure__visit__in=past)
    assert {"lidocaine", "bupivacaine"} <= set(sites.values_list("agent", flat=True))
    assert all(1 <= s.volume_ml <= 3 for s in sites if s.volume_ml is not None)
    by_patient = {}
    for v in signed:
        by_patient.setdefault(v.patient_id, []).append(v.scheduled_for.date())
    for days in by_patient.values():
        days.sort()
        assert all((b - a).days >= 42 for a, b in pairwise(days))


def test_today_has_a_visit_in_every_state_for_different_patients(seeded, db):
    visits = Visit.objects.filter(scheduled_for__date=seeded).select_related("clinician")
    states = Counter(v.state for v in visits)
    assert set(states) == set(State.values)
    assert len(visits) >= 8
    assert len({v.patient_id for v in visits}) == len(visits)
    assert {v.clinician.username for v in visits} == {"clinician"}
    assert Note.objects.filter(visit__in=visits).count() == states[State.SIGNED]


def test_a_second_run_adds_no_visits_and_the_audit_chain_holds(seeded, db):
    counts = (Visit.objects.count(), Note.objects.count(), InjectionSite.objects.count())
    seed_demo(seed=2026, patients_wanted=PATIENTS, today=seeded)
    assert (Visit.objects.count(), Note.objects.count(), InjectionSite.objects.count()) == counts
    assert verify_chain().ok


def test_a_repeat_sessions_intake_starts_where_the_last_check_in_left_off(seeded, db):
    """A returning patient's intake pain and PEG interference are within two points of
    their last answered check-in before the visit (today's returning patients included),
    and the relief they recall is what they reported after the last session."""
    checked = 0
    visits = Visit.objects.filter(intake__isnull=False).select_related("intake", "patient")
    for v in visits.order_by("scheduled_for"):
        day = timezone.localdate(v.scheduled_for)
        earlier = Visit.objects.filter(
            patient=v.patient, state=State.SIGNED, scheduled_for__lt=v.scheduled_for
        )
        if not earlier.exists():
            continue
        answered = CheckIn.objects.filter(patient=v.patient, nrs__isnull=False, due_on__lt=day)
        last = answered.order_by("due_on", "offset_days").last()
        assert abs(v.intake.nrs_average - last.nrs) <= 2, (v.patient.mrn, day)
        assert abs(v.intake.peg_enjoyment - last.peg_enjoyment) <= 2
        assert abs(v.intake.peg_activity - last.peg_activity) <= 2
        before = earlier.select_related("intake").order_by("scheduled_for").last()
        reported = [
            100 * (before.intake.nrs_average - c.nrs) / before.intake.nrs_average
            for c in answered.filter(visit=before)
        ]
        assert v.intake.previous_tpi and abs(v.intake.previous_tpi_relief - max(0, *reported)) <= 5
        checked += 1
    assert checked >= 5
