"""The seeded demo clinic that the FHIR proof tests read (``demo``): one per module that
uses it, rolled back at the module's end."""

import pytest

from taut.demo.tests.seeded import PATIENTS, demo_clinic


@pytest.fixture(scope="module")
def demo(request, django_db_setup, django_db_blocker):
    """A demo clinic for the whole module: of the module's ``DEMO_PATIENTS`` patients if it
    names a number, else as many as the seeded-clinic tests use."""
    patients = getattr(request.module, "DEMO_PATIENTS", PATIENTS)
    with demo_clinic(django_db_blocker, patients=patients) as (clinic, _):
        yield clinic
