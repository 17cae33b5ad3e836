"""Search answers from indexes on both databases (docs/decisions/0018): with a few thousand
patients and the planner's statistics, every name and MRN search reads the folded-name,
given-name and MRN prefix indexes (one branch of the OR each), a date of birth reads the
clinic's date-of-birth index, and none reads the patients table whole."""

from datetime import date, timedelta

import pytest

from taut.patients import queries
from taut.patients.models import Patient
from taut.patients.services import name_search_fields
from taut.tests.once import built_once_per_module
from taut.tests.plans import analyze, index_named, plan, reads_whole, uses_index

CROWD = 1500
TABLE = Patient._meta.db_table
PREFIX_INDEXES = ("patient_search_name", "patient_search_given", "patient_mrn_prefix")
FAMILIES = ["Pebblebrook", "Thistlewick", "Öztürk", "García-López", "Ødegaard", "Nguyễn"]
GIVEN = ["Ada", "José", "Zoë", "Björn", "Thảo", "Ángela", "Анжела", "Wei"]


def build_crowd(cast):
    """``CROWD`` patients in the cast's clinic (bulk-inserted with the columns the services
    set), a few in another clinic, and statistics for the planner."""
    rows = []
    for number in range(CROWD):
        given = f"{GIVEN[number % len(GIVEN)]}{number}"
        family = f"{FAMILIES[number % len(FAMILIES)]}{number // len(FAMILIES)}"
        clinic = cast.other_clinic if number % 100 == 0 else cast.clinic
        rows.append(
            Patient(
                clinic=clinic, mrn=f"P{number:05d}", given_name=given, family_name=family,
                date_of_birth=date(1940, 1, 1) + timedelta(days=number * 7), sex="female",
                **name_search_fields(given_name=given, family_name=family),
            )
        )  # fmt: skip
    Patient.objects.bulk_create(rows)
    analyze(Patient)
    return cast.clinic.pk


crowd, _crowd_once = built_once_per_module(build_crowd, name="crowd")


def patients(clinic_id):
    return Patient.objects.filter(clinic_id=clinic_id)  # as patients_for_user scopes them


@pytest.mark.parametrize(
    "text",
    [
        "pebblebrook1",  # the start of a family name
        "ÖZTÜRK2",  # in capitals, with its accents
        "angela17",  # a given name typed without its accent
        "jose4 garcia",  # a given name and the start of the family name
        "P0012",  # an MRN
        "p0012",  # an MRN in small letters
    ],
)
def test_it_answers_a_name_or_mrn_search_from_the_prefix_indexes(crowd, text):
    explained = plan(queries.search(patients(crowd), text))
    for index in PREFIX_INDEXES:
        assert uses_index(explained, index), explained
    assert not reads_whole(explained, TABLE), explained


def test_it_answers_a_date_of_birth_search_from_the_clinics_date_index(crowd):
    explained = plan(queries.search(patients(crowd), "1940-01-08"))
    assert uses_index(explained, index_named(Patient, "clinic", "date_of_birth")), explained
    assert not reads_whole(explained, TABLE), explained


def test_the_plans_are_of_searches_that_find_the_patients(crowd):
    """The searches above find who they should, so the plans are of working queries."""

    def found(text):
        return {p.mrn for p in queries.search(patients(crowd), text)}

    assert found("ÖZTÜRK41 ADA") == {"P00248"}  # Öztürk41, Ada248
    assert found("ANGELA17") == {"P00173"}  # Ángela173
    assert found("jose4 garcia") == {"P00417", "P00441", "P00465", "P00489"}
    assert found("p0012") == {f"P0012{digit}" for digit in range(10)}
    assert found("1940-01-08") == {"P00001"}
    assert found("P00100") == set()  # another clinic's
