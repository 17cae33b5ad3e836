"""The demo clinic the seeded-clinic tests read: ``seeded``, one clinic per module that uses
it (``test_seeded_clinic`` and ``test_seeded_fhir``)."""

import pytest

from taut.demo.tests.seeded import demo_clinic


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One demo clinic of PATIENTS patients for the whole module, rolled back at its end (each
    test runs in a savepoint inside it): the clinic, its date and the moment it was seeded."""
    with demo_clinic(django_db_blocker) as (clinic, now):
        yield clinic, now.astimezone(clinic.zone()).date(), now
