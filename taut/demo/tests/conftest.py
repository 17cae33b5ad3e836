"""The demo clinic the seeded-clinic tests read: ``seeded``, one clinic per module that uses
it (``test_seeded_clinic`` and ``test_seeded_fhir``)."""

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from taut.demo.seed import seed_demo
from taut.demo.tests.seeded import PATIENTS


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One demo clinic of PATIENTS patients for the whole module, rolled back at its end (each
    test runs in a savepoint inside it). Fast password hashing, as conftest does per test."""
    now = timezone.now()
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        result = seed_demo(seed=2026, patients_wanted=PATIENTS, now=now)
        yield result.clinic, now.astimezone(result.clinic.zone()).date(), now
        transaction.set_rollback(True)
