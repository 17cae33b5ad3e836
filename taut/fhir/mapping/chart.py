"""The patient's chart lists: Condition (problems, ICD-10-CM), AllergyIntolerance (with the
local-anaesthetic allergen code) and MedicationStatement (the medicines list)."""

from typing import Any
from uuid import UUID

from taut.clinical.coding import ICD10_CODES, Evidence
from taut.clinical.dosing import AGENT_CLASSES, allergen_label
from taut.fhir.mapping import codes
from taut.fhir.mapping.base import (
    Json,
    coding,
    concept,
    derived_id,
    instant,
    ref,
    resource,
    taut_coding,
)

# Allergy.Severity → AllergyIntolerance.criticality (R4 allergy-intolerance-criticality):
# anaphylaxis is high; a mild or moderate reaction low; unknown cannot be assessed.
CRITICALITY = {"severe": "high", "moderate": "low", "mild": "low", "unknown": "unable-to-assess"}
# Allergy.Severity → reaction.severity (R4 reaction-event-severity); unknown: none sent.
REACTION_SEVERITY = {"severe": "severe", "moderate": "moderate", "mild": "mild"}
ANTITHROMBOTIC = ("antithrombotic", "Anticoagulant or antiplatelet")


def _recorder(user: Any | None) -> Json | None:
    return ref("Practitioner", user.public_id) if user is not None else None


def condition(entry: Any, *, patient_id: UUID | str) -> Json:
    """A problem on the chart ([UC] us-core-condition-problems-health-concerns): category
    problem-list-item, ICD-10-CM where recorded (else text only), clinical status from
    ``active``. Verification is "confirmed": the clinic put it on its problem list."""
    status = "active" if entry.active else "inactive"
    return resource(
        "Condition",
        entry.public_id,
        last_updated=entry.recorded_at,
        profiles=(codes.us_core("us-core-condition-problems-health-concerns"),),
        clinicalStatus=concept(coding(codes.CONDITION_CLINICAL, status)),
        verificationStatus=concept(coding(codes.CONDITION_VERIFICATION, "confirmed")),
        category=[
            concept(coding(codes.CONDITION_CATEGORY, "problem-list-item", "Problem List Item"))
        ],
        code=concept(
            coding(codes.ICD10CM, entry.icd10.strip().upper()) if entry.icd10.strip() else None,
            text=entry.name,
        ),
        subject=ref("Patient", patient_id),
        recordedDate=instant(entry.recorded_at),
        recorder=_recorder(entry.recorded_by),
    )


def encounter_diagnoses(visit: Any, note: Any, *, patient_id: UUID | str) -> list[Json]:
    """The ICD-10-CM codes the clinician confirmed when signing the session (the
    indications the Procedure's reasonCode names), each a Condition
    ([UC] us-core-condition-encounter-diagnosis, id ``<visit>-dx-<code>``): category
    encounter-diagnosis, confirmed, recorded at signing by the signer. The code's title is
    its ``text`` where ``clinical.coding`` has seen it in a source."""
    found = []
    for code in dict.fromkeys(note.icd_codes):
        known = ICD10_CODES.get(code)
        title = known.title if known and known.status != Evidence.UNVERIFIED else ""
        found.append(
            resource(
                "Condition",
                derived_id(visit.public_id, f"dx-{code}"),
                last_updated=note.signed_at,
                profiles=(codes.us_core("us-core-condition-encounter-diagnosis"),),
                verificationStatus=concept(coding(codes.CONDITION_VERIFICATION, "confirmed")),
                category=[
                    concept(
                        coding(
                            codes.CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis"
                        )
                    )
                ],
                code=concept(coding(codes.ICD10CM, code), text=title),
                subject=ref("Patient", patient_id),
                encounter=ref("Encounter", visit.public_id),
                recordedDate=instant(note.signed_at),
                recorder=_recorder(note.signed_by),
                asserter=_recorder(note.signed_by),
            )
        )
    return found


def allergen_concept(code: str, text: str) -> Json:
    """An allergy's substance: for an agent the verified RxNorm and SNOMED CT codes, always
    Taut's allergen coding (the class or excipient has no verified code), and ``text``."""
    if not code:
        return concept(text=text)
    rxnorm = codes.RXNORM_INGREDIENT.get(code) if code in AGENT_CLASSES else None
    snomed = codes.SNOMED_SUBSTANCE.get(code) if code in AGENT_CLASSES else None
    return concept(
        coding(codes.RXNORM, *rxnorm) if rxnorm else None,
        coding(codes.SNOMED, *snomed) if snomed else None,
        taut_coding("allergen", code, allergen_label(code)),
        text=text,
    )


def allergy(entry: Any, *, patient_id: UUID | str) -> Json:
    """An allergy ([UC] us-core-allergyintolerance): the recorded words as ``code.text``
    with the allergen codings when Taut coded it (an agent, a class or an excipient of
    local anaesthetics; category medication), the reaction's words as its manifestation,
    criticality and reaction severity from the recorded severity. Verification is
    "unconfirmed": Taut records reported allergies, not allergy tests."""
    status = "active" if entry.active else "inactive"
    notes = []
    if entry.not_anaesthetic:
        notes.append("A clinician checked it: not a local-anaesthetic allergy.")
    elif not entry.anaesthetic:
        notes.append("Not coded as a local-anaesthetic allergen.")
    reaction: Json = {
        "manifestation": [concept(text=entry.reaction or "Reaction not recorded")],
        "severity": REACTION_SEVERITY.get(entry.severity),
    }
    return resource(
        "AllergyIntolerance",
        entry.public_id,
        last_updated=entry.mapped_at or entry.recorded_at,
        profiles=(codes.us_core("us-core-allergyintolerance"),),
        clinicalStatus=concept(coding(codes.ALLERGY_CLINICAL, status)),
        verificationStatus=concept(coding(codes.ALLERGY_VERIFICATION, "unconfirmed")),
        category=["medication"] if entry.anaesthetic else [],
        criticality=CRITICALITY.get(entry.severity),
        code=allergen_concept(entry.anaesthetic, entry.agent),
        patient=ref("Patient", patient_id),
        recordedDate=instant(entry.recorded_at),
        recorder=_recorder(entry.recorded_by),
        note=[{"text": text} for text in notes],
        reaction=[reaction],
    )


def medication_statement(entry: Any, *, patient_id: UUID | str) -> Json:
    """A medicine on the patient's list ([R4] MedicationStatement; US Core 6.1 has no
    profile for it): the name as text (Taut keeps no drug code), the dose as the dosage's
    text, active or stopped. An anticoagulant or antiplatelet (``antithrombotic``) carries
    Taut's ``medication-flag`` coding as its category, and a note saying so."""
    flagged = entry.antithrombotic
    return resource(
        "MedicationStatement",
        entry.public_id,
        last_updated=entry.recorded_at,
        status="active" if entry.active else "stopped",
        category=concept(taut_coding("medication-flag", *ANTITHROMBOTIC), text=ANTITHROMBOTIC[1])
        if flagged
        else None,
        medicationCodeableConcept=concept(text=entry.name),
        subject=ref("Patient", patient_id),
        dateAsserted=instant(entry.recorded_at),
        informationSource=_recorder(entry.recorded_by),
        note=[{"text": "Anticoagulant or antiplatelet (blood thinner)."}] if flagged else [],
        dosage=[{"text": entry.dose}] if entry.dose else [],
    )
