"""The resource types the FHIR API serves: for each, its loader and its profiles.

Every view, the CapabilityStatement, the OpenAPI description and the bulk export read this
one table, so a type added here is served, described and exported everywhere.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from taut.accounts.roles import Need
from taut.fhir.loaders import chart, observations, people, plans, questionnaires, sessions
from taut.fhir.mapping import codes
from taut.fhir.mapping.base import Json
from taut.fhir.mapping.search import supported
from taut.fhir.scope import Scope
from taut.patients.models import Patient

Loader = Callable[[Scope], Iterator[tuple[Patient | None, Json]]]


@dataclass(frozen=True)
class Kind:
    name: str
    load: Loader
    profiles: tuple[str, ...] = ()
    need: Need = Need.CLINICAL_READ  # what the caller's role must grant to read it
    compartment: bool = True  # in the Patient compartment (else the clinic's: staff, clinic)

    @property
    def search(self) -> tuple[str, ...]:
        return supported(self.name)


def _us(*names: str) -> tuple[str, ...]:
    return tuple(codes.us_core(n) for n in names)


_DEMOGRAPHIC = Need.DEMOGRAPHICS_READ
_KINDS = [
    Kind("Patient", people.patients, _us("us-core-patient"), _DEMOGRAPHIC),
    Kind("Organization", people.organizations, _us("us-core-organization"), _DEMOGRAPHIC, False),
    Kind("Practitioner", people.practitioners, _us("us-core-practitioner"), _DEMOGRAPHIC, False),
    Kind(
        "PractitionerRole",
        people.practitioner_roles,
        _us("us-core-practitionerrole"),
        _DEMOGRAPHIC,
        False,
    ),
    Kind("Encounter", sessions.encounters, _us("us-core-encounter")),
    Kind("Procedure", sessions.procedures, _us("us-core-procedure")),
    Kind("MedicationAdministration", sessions.administrations),
    Kind("DocumentReference", sessions.documents, _us("us-core-documentreference")),
    Kind("Provenance", sessions.provenances, _us("us-core-provenance")),
    Kind(
        "Condition",
        chart.conditions,
        _us(
            "us-core-condition-problems-health-concerns",
            "us-core-condition-encounter-diagnosis",
        ),
    ),
    Kind("AllergyIntolerance", chart.allergies, _us("us-core-allergyintolerance")),
    Kind("MedicationStatement", chart.medications),
    Kind(
        "Observation",
        observations.observations_,
        _us(
            "us-core-body-weight",
            "us-core-observation-screening-assessment",
            "us-core-simple-observation",
        ),
    ),
    Kind("Questionnaire", questionnaires.definitions, (), _DEMOGRAPHIC, False),
    Kind(
        "QuestionnaireResponse",
        questionnaires.responses,
        _us("us-core-questionnaireresponse"),
    ),
    Kind("Goal", plans.goals, _us("us-core-goal")),
    Kind("CarePlan", plans.care_plans, _us("us-core-careplan")),
]

KINDS: Mapping[str, Kind] = MappingProxyType({k.name: k for k in _KINDS})
