"""The clinical loaders read a chunk of patients in a fixed number of queries: a second
patient with a followed-up session costs no more queries than one."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from taut.fhir import registry
from taut.fhir.scope import Scope
from taut.fhir.tests.followed import BASE, followed_session
from taut.outcomes.tests.function import answer, session
from taut.tests.cast import make_patient

KINDS = ("Condition", "AllergyIntolerance", "MedicationStatement", "Observation",
         "QuestionnaireResponse", "Goal", "CarePlan")  # fmt: skip


def queries(cast, kind):
    with CaptureQueriesContext(connection) as captured:
        found = list(registry.KINDS[kind].load(Scope(clinic=cast.clinic, base=BASE)))
    return len(captured), len(found)


def test_it_reads_more_patients_in_the_same_number_of_queries(cast):
    """Each kind's queries stay the same when a second followed-up patient is added."""
    followed_session(cast)
    before = {kind: queries(cast, kind) for kind in KINDS}
    second = make_patient(cast.clinic, cast.front_desk, mrn="T0002", given_name="Second")
    answer(session(second, cast.clinician, days_ago=60), cast.nurse, upto="week_6")
    after = {kind: queries(cast, kind) for kind in KINDS}
    for kind in KINDS:
        assert after[kind][0] == before[kind][0], kind
    assert after["Observation"][1] > before["Observation"][1]
