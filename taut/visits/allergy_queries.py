"""Reads for the allergy guard of a visit (issue 11, point 1): the patient's allergens with
what each rules out, the free-text allergies still to map, and the override that allows
amide sites."""

from dataclasses import dataclass

from taut.clinical import dosing
from taut.patients.allergy_queries import unmapped_reason
from taut.patients.queries import (
    allergies_for_patient,
    is_antithrombotic,
    medications_for_patient,
)
from taut.visits import queries
from taut.visits.models import ScreeningDecision, Visit

AMIDE_REASON = "allergy_amide"

_RULES: dict[str, str] = {
    dosing.AnaestheticClass.AMIDE: "no amide (lidocaine, bupivacaine, ropivacaine, mepivacaine)",
    dosing.AnaestheticClass.ESTER: "no ester (procaine, chloroprocaine): they cross-react "
    "through PABA",
    dosing.Excipient.PARABEN: "preservative-free (single-dose, MPF) vials only",
    dosing.Excipient.SULFITE: "no solutions with epinephrine",
}


@dataclass(frozen=True)
class AllergyRow:
    label: str
    rule: str


def amide_override(visit: Visit) -> ScreeningDecision | None:
    """The clinician's override that lets amide sites through for an amide-allergic patient:
    the latest decision, an override, made on the current verdict (the gate is open), whose
    reasons name the amide allergy (and, where the decision lists what it covers, covering it).
    """
    intake = getattr(visit, "intake", None)
    latest = visit.decisions.first()
    if intake is None or latest is None or latest.kind != ScreeningDecision.Kind.OVERRIDE:
        return None
    if not queries.procedure_gate(visit)[0]:
        return None
    if AMIDE_REASON not in {r["code"] for r in intake.verdict_reasons}:
        return None
    if latest.covers and AMIDE_REASON not in {c.get("code") for c in latest.covers}:
        return None
    return latest


def allergy_panel(visit: Visit) -> dict[str, object]:
    """What the procedure page shows about allergies: each allergen with its rule, the
    block while a free-text allergy is unmapped, and the amide override if one stands."""
    rows = []
    for code in sorted(queries.anaesthetic_allergies(visit)):
        rule = _RULES.get(dosing.AGENT_CLASSES.get(code, code), "")
        rows.append(AllergyRow(dosing.allergen_label(code), rule))
    return {
        "allergy_rows": rows,
        "allergy_block": unmapped_reason(visit.patient),
        "allergy_override": amide_override(visit),
        "allergy_source": dosing.allergens.SOURCES["XYLOCAINE"]
        + "; "
        + dosing.allergens.SOURCES["NESACAINE"],
    }


def safety_strip(patient) -> dict:
    """What every visit page shows under its header, as the chart does: the patient's
    active allergies and the current medicines that count as blood thinners
    (``taut.patients.queries.is_antithrombotic``)."""
    return {
        "safety_allergies": [a for a in allergies_for_patient(patient) if a.active],
        "safety_thinners": [
            m for m in medications_for_patient(patient) if m.active and is_antithrombotic(m)
        ],
    }
