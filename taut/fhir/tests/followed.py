"""A followed-up session for the FHIR tests, built through the real services: a chart
weight, an intake with a goal, an examined muscle, a signed session with pain before and
after, every check-in to week 12 answered (GAS included), and a next-step decision; the
other clinic's patient has a signed session too."""

from decimal import Decimal

from taut.fhir import registry
from taut.fhir.scope import Scope
from taut.outcomes.tests.function import answer, session
from taut.outcomes.tests.test_worklist_section import decide
from taut.patients import services
from taut.patients.models import Measurement
from taut.tests.cast import acting

BASE = "http://testserver/fhir"


def followed_session(cast):
    services.add_chart_entry(
        patient=cast.patient,
        entry=Measurement(weight_kg=Decimal("72.5"), measured_on=cast.patient.created_at.date()),
        actor=acting(cast.nurse),
    )
    visit = session(cast.patient, cast.clinician, days_ago=100)
    answer(visit, cast.nurse, nrs=3, interference=2, upto="week_12")
    decide(cast.patient, visit, cast.clinician, note="Continuing: the patient prefers it.")
    session(cast.other_patient, cast.outsider, days_ago=100)
    visit.refresh_from_db()
    return visit


def emitted(cast, kind, **scoped):
    scope = Scope(clinic=cast.clinic, base=BASE, **scoped)
    return [resource for _, resource in registry.KINDS[kind].load(scope)]


def by_id(resources):
    return {r["id"]: r for r in resources}
