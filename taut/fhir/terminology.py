"""Taut's own CodeSystems as FHIR resources (``/fhir/CodeSystem/<id>``): the codes Taut
sends where no verified standard code exists (``mapping.codes.TAUT_SYSTEMS``)."""

from collections.abc import Callable, Iterable

from taut.accounts.roles import Role
from taut.clinical import atlas, checkins, steroids
from taut.clinical.dosing import ALLERGENS, allergen_label
from taut.clinical.dosing.agents import Agent
from taut.fhir.mapping import chart, codes, observations, plans
from taut.fhir.mapping.base import Json, narrative
from taut.outcomes.models import NextStepDecision
from taut.visits.models import InjectionSite, Procedure, Visit

# The concepts of each system whose codes Taut knows in full; others are "not-present".
CONCEPTS: dict[str, Callable[[], Iterable[tuple[str, str]]]] = {
    "atlas-site": lambda: sorted((s.id, s.name) for s in atlas.SITES.values()),
    "visit-kind": lambda: Visit.Kind.choices,
    "staff-role": lambda: Role.choices,
    "complication": lambda: Procedure.Complication.choices,
    "agent": lambda: (
        [(a.value, a.value.capitalize()) for a in Agent]
        + [(s.value, agent.label) for s, agent in steroids.STEROIDS.items()]
        + [("saline", "Sodium chloride 0.9%")]
        + list(InjectionSite.Sclerosant.choices)
    ),
    "allergen": lambda: [(code, allergen_label(code)) for code in ALLERGENS],
    "medication-flag": lambda: [chart.ANTITHROMBOTIC],
    "trigger-point-finding": observations.finding_concepts,
    "intake-item": lambda: observations.INTAKE_SCORES.items(),
    "checkin-item": lambda: observations.CHECKIN_ITEMS,
    "pgic": lambda: [(str(c.value), c.label) for c in checkins.PGIC_QUESTION.choices],
    "checkin-treatment": lambda: [(str(c.value), c.label) for c in checkins.TREATMENTS.choices],
    "gas-level": lambda: [(str(level), label) for level, label in plans.GAS_LEVELS.items()],
    "next-step": lambda: NextStepDecision.Choice.choices,
}


def ids() -> list[str]:
    return sorted(codes.TAUT_SYSTEMS)


def code_system(system_id: str) -> Json | None:
    if system_id not in codes.TAUT_SYSTEMS:
        return None
    title, description = codes.TAUT_SYSTEMS[system_id]
    body: Json = {
        "resourceType": "CodeSystem",
        "id": system_id,
        "url": codes.taut_system(system_id),
        "name": "".join(part.capitalize() for part in system_id.split("-")),
        "title": title,
        "status": "active",
        "experimental": False,
        "publisher": "Taut",
        "description": description,
        "caseSensitive": True,
        "text": narrative(f"{title}: {description}"),
    }
    listed = CONCEPTS.get(system_id)
    if listed is None:
        body["content"] = "not-present"
    else:
        concepts = [{"code": str(code), "display": str(label)} for code, label in listed()]
        body.update(content="complete", count=len(concepts), concept=concepts)
    return body
