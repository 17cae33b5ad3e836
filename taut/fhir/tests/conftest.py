"""The seeded demo clinic that the FHIR API's schemathesis run reads (``demo``): one per
module that uses it, rolled back at the module's end."""

import pytest

from taut.demo.tests.seeded import demo_clinic

#: Enough demo patients for every served type to have resources (the run reads 3 of each),
#: fewer to seed than the seeded-clinic tests' 30.
PATIENTS = 12


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A demo clinic of ``PATIENTS`` patients for the whole module (the clinic)."""
    with demo_clinic(django_db_blocker, patients=PATIENTS) as (clinic, _):
        yield clinic
