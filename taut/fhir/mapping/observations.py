"""Observations: body weight, pain scores (0–10 NRS, LOINC 72514-3), the PEG items and score,
the other 0–10 and rated answers of intakes and check-ins, and trigger point findings.

Ids: a record's public id where one record is one Observation (a weight, a finding); else
``derived_id`` of the record that holds the answer (the visit for the intake and the
procedure, the check-in) and the answer's name, so each stays at one address.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from taut.clinical import outcomes, structure_exam, trigger_points
from taut.clinical.checkins import pgic_label
from taut.fhir.mapping import codes
from taut.fhir.mapping.base import (
    Json,
    coding,
    concept,
    day,
    derived_id,
    instant,
    quantity,
    ref,
    resource,
    taut_coding,
)
from taut.fhir.mapping.plans import GAS_LEVELS, gas_level, goal_id
from taut.fhir.mapping.sessions import located

SURVEY = concept(coding(codes.OBSERVATION_CATEGORY, "survey", "Survey"))
EXAM = concept(coding(codes.OBSERVATION_CATEGORY, "exam", "Exam"))
VITAL_SIGNS = concept(coding(codes.OBSERVATION_CATEGORY, "vital-signs", "Vital Signs"))
SCREENING = codes.us_core("us-core-observation-screening-assessment")
SIMPLE = codes.us_core("us-core-simple-observation")
BODY_WEIGHT = codes.us_core("us-core-body-weight")

#: Intake 0–10 items without a verified LOINC code (Taut's ``intake-item`` system).
INTAKE_SCORES = {
    "nrs_average": "Average pain in the past week (0-10)",
    "nrs_worst": "Worst pain in the past week (0-10)",
}
SORENESS = ("soreness", "Injection-site soreness (0-10)")
PGIC = ("pgic", "Patient Global Impression of Change")
GAS = ("gas", "Goal Attainment Scaling level")
EXAM_CODES = {
    True: ("trigger-point-exam", "Trigger point examination"),
    False: ("structure-exam", "Ligament or tendon examination"),
}
PPT = ("pressure-pain-threshold", "Pressure pain threshold")


def finding_concepts() -> list[tuple[str, str]]:
    """Every code of Taut's ``trigger-point-finding`` system (for its CodeSystem)."""
    found = dict(EXAM_CODES.values())
    for point in trigger_points.Kind:
        found.setdefault(point.value, point.label)
    for structure in structure_exam.Kind:
        found.setdefault(structure.value, structure.label)
    for field, label in (*trigger_points.LABELS.items(), *structure_exam.LABELS.items()):
        found.setdefault(field, label)
    found[PPT[0]] = PPT[1]
    return list(found.items())


#: One display per code of the system (a criterion's words differ by kind of site).
FINDING_DISPLAYS = dict(finding_concepts())
PEG_TEXT = {
    "peg_pain": "PEG: average pain in the past week (0-10)",
    "peg_enjoyment": "PEG: interference with enjoyment of life (0-10)",
    "peg_activity": "PEG: interference with general activity (0-10)",
}
PEG_MEAN = ("peg", "PEG score (mean of the three items, 0-10)")
CHECKIN_ITEMS = (SORENESS, PGIC, GAS, *PEG_TEXT.items(), PEG_MEAN)


def peg_coding(field: str) -> Json:
    """A PEG item's (or, for ``"peg"``, the mean's) coding: LOINC once verified
    (``codes.PEG_LOINC_VERIFIED``), Taut's ``checkin-item`` until then."""
    if codes.PEG_LOINC_VERIFIED:
        return coding(codes.LOINC, *(codes.PEG_SCORE if field == "peg" else codes.PEG_ITEMS[field]))
    return taut_coding("checkin-item", field, PEG_MEAN[1] if field == "peg" else PEG_TEXT[field])


def _score(value: int | float | Decimal) -> Json:
    return quantity(value, "{score}")


def _observation(
    resource_id: UUID | str,
    *,
    profile: str,
    category: Json,
    code: Json,
    patient_id: UUID | str,
    last_updated: datetime | None,
    **body: Any,
) -> Json:
    return resource(
        "Observation",
        resource_id,
        last_updated=last_updated,
        profiles=(profile,),
        status="final",
        category=[category],
        code=code,
        subject=ref("Patient", patient_id),
        **body,
    )


def pain_code() -> Json:
    return concept(coding(codes.LOINC, *codes.PAIN_NRS), text="Pain severity (0-10)")


# --- Body weight ---------------------------------------------------------------------


def body_weight(
    resource_id: UUID | str, *, kg: Decimal, on: date, patient_id: UUID | str,
    last_updated: datetime | None, performer: Any | None = None,
    encounter_id: UUID | str | None = None,
) -> Json:  # fmt: skip
    """A weight ([UC] us-core-body-weight: vital-signs, LOINC 29463-7, kg in UCUM)."""
    return _observation(
        resource_id,
        profile=BODY_WEIGHT,
        category=VITAL_SIGNS,
        code=concept(coding(codes.LOINC, *codes.BODY_WEIGHT), text="Body weight"),
        patient_id=patient_id,
        last_updated=last_updated,
        encounter=ref("Encounter", encounter_id) if encounter_id else None,
        effectiveDateTime=day(on),
        performer=[ref("Practitioner", performer.public_id)] if performer else [],
        valueQuantity=quantity(kg, "kg"),
    )


def measurement(entry: Any, *, patient_id: UUID | str) -> Json:
    """A weight on the chart (``Measurement``; its public id)."""
    return body_weight(
        entry.public_id, kg=entry.weight_kg, on=entry.measured_on, patient_id=patient_id,
        last_updated=entry.recorded_at, performer=entry.recorded_by,
    )  # fmt: skip


def procedure_weight(visit: Any, procedure: Any, *, patient_id: UUID | str) -> Json:
    """The weight a session was dosed by, for when the chart holds no such weight."""
    return body_weight(
        derived_id(visit.public_id, "weight"), kg=procedure.weight_kg,
        on=procedure.weight_measured_on, patient_id=patient_id,
        last_updated=procedure.started_at, encounter_id=visit.public_id,
    )  # fmt: skip


# --- Pain before and after the procedure -----------------------------------------------


def procedure_pain(
    visit: Any, procedure: Any, sites: Sequence[Any], *, patient_id: UUID | str
) -> list[Json]:
    """Pain before and after the injections (LOINC 72514-3, [UC] screening assessment),
    part of the session's Procedure. Before: at the procedure's start. After: sometime
    between the last injection and discharge (Taut records no exact time), as a period."""
    common = {
        "partOf": [ref("Procedure", visit.public_id)],
        "encounter": ref("Encounter", visit.public_id),
        "performer": [ref("Practitioner", visit.clinician.public_id)] if visit.clinician else [],
    }
    found = []
    if procedure.nrs_before is not None:
        found.append(
            _observation(
                derived_id(visit.public_id, "nrs-before"), profile=SCREENING, category=SURVEY,
                code=pain_code(), patient_id=patient_id, last_updated=procedure.started_at,
                effectiveDateTime=instant(procedure.started_at),
                valueQuantity=_score(procedure.nrs_before),
                note=[{"text": "Before the injections"}], **common,
            )
        )  # fmt: skip
    if procedure.nrs_after is not None:
        last = max((s.recorded_at for s in sites), default=procedure.started_at)
        period = {"start": instant(last)}
        if procedure.discharged_at:
            period["end"] = instant(procedure.discharged_at)
        found.append(
            _observation(
                derived_id(visit.public_id, "nrs-after"), profile=SCREENING, category=SURVEY,
                code=pain_code(), patient_id=patient_id,
                last_updated=procedure.discharged_at or last, effectivePeriod=period,
                valueQuantity=_score(procedure.nrs_after),
                note=[{"text": "After the injections"}], **common,
            )
        )  # fmt: skip
    return found


# --- Answers of the intake and the check-ins --------------------------------------------


def _part(name: str) -> str:
    """An answer's name as part of a FHIR id (letters, digits, ``-`` and ``.`` only)."""
    return name.replace("_", "-")


def _peg(owner: str, prefix: str, scores: Mapping[str, int | None], common: Json) -> list[Json]:
    """The three PEG items and, when all are answered, their mean (with ``hasMember``);
    ids ``<owner>-<prefix>peg-pain`` … and ``<owner>-<prefix>peg``."""
    items, answered = [], []
    for field in codes.PEG_ITEMS:
        text = PEG_TEXT[field]
        value = scores.get(field)
        if value is None:
            continue
        answered.append(value)
        items.append(
            _observation(
                derived_id(owner, prefix + _part(field)), code=concept(peg_coding(field), text=text), valueQuantity=_score(value), **common,
            )
        )  # fmt: skip
    if len(answered) == 3:
        mean = outcomes.peg(*answered)
        items.append(
            _observation(
                derived_id(owner, f"{prefix}peg"),
                code=concept(peg_coding("peg"), text="PEG score"),
                valueQuantity=_score(Decimal(str(round(mean, 2)))),
                hasMember=[ref("Observation", item["id"]) for item in items],
                **common,
            )
        )
    return items


def _answer_common(
    *, patient_id: UUID | str, moment: datetime, by_patient: bool, recorder: Any | None,
    derived_from: Json, encounter_id: UUID | str | None = None,
) -> Json:  # fmt: skip
    if by_patient:
        performer = [ref("Patient", patient_id)]
    else:
        performer = [ref("Practitioner", recorder.public_id)] if recorder else []
    return {
        "profile": SCREENING,
        "category": SURVEY,
        "patient_id": patient_id,
        "last_updated": moment,
        "effectiveDateTime": instant(moment),
        "performer": performer,
        "derivedFrom": [derived_from],
        "encounter": ref("Encounter", encounter_id) if encounter_id else None,
    }


def intake_scores(visit: Any, intake: Any, *, patient_id: UUID | str) -> list[Json]:
    """The intake's pain now (72514-3), average and worst pain in the past week (Taut's
    ``intake-item``) and the PEG, from its QuestionnaireResponse (the visit's id)."""
    holder = str(visit.public_id)
    common = _answer_common(
        patient_id=patient_id, moment=intake.recorded_at, by_patient=intake.source == "patient",
        recorder=intake.recorded_by, encounter_id=visit.public_id,
        derived_from=ref("QuestionnaireResponse", visit.public_id),
    )  # fmt: skip
    found = [
        _observation(
            derived_id(holder, "intake-nrs-now"), code=pain_code(),
            valueQuantity=_score(intake.nrs_now), **common,
        )
    ]  # fmt: skip
    for field, text in INTAKE_SCORES.items():
        found.append(
            _observation(
                derived_id(holder, "intake-" + _part(field)),
                code=concept(taut_coding("intake-item", field, text), text=text),
                valueQuantity=_score(getattr(intake, field)), **common,
            )
        )  # fmt: skip
    scores = {field: getattr(intake, field) for field in codes.PEG_ITEMS}
    return found + _peg(holder, "intake-", scores, common)


def checkin_scores(
    checkin: Any, goals: Sequence[Any], *, patient_id: UUID | str, visit_id: UUID | str
) -> list[Json]:
    """A completed check-in's scores: pain (72514-3), the PEG, soreness, PGIC and each
    goal's GAS level (with ``focus`` on the Goal), from its QuestionnaireResponse."""
    if checkin.completed_at is None:
        return []
    holder = str(checkin.public_id)
    common = _answer_common(
        patient_id=patient_id, moment=checkin.completed_at,
        by_patient=checkin.source == "patient", recorder=checkin.recorded_by,
        derived_from=ref("QuestionnaireResponse", checkin.public_id),
    )  # fmt: skip
    found = []
    if checkin.nrs is not None:
        found.append(
            _observation(
                derived_id(holder, "nrs"), code=pain_code(), valueQuantity=_score(checkin.nrs),
                **common,
            )
        )  # fmt: skip
    found += _peg(holder, "", {f: getattr(checkin, f) for f in codes.PEG_ITEMS}, common)
    if checkin.soreness is not None:
        found.append(
            _observation(
                derived_id(holder, "soreness"),
                code=concept(taut_coding("checkin-item", *SORENESS), text=SORENESS[1]),
                valueQuantity=_score(checkin.soreness), **common,
            )
        )  # fmt: skip
    if checkin.pgic:
        label = pgic_label(checkin.pgic)
        found.append(
            _observation(
                derived_id(holder, "pgic"),
                code=concept(taut_coding("checkin-item", *PGIC), text=PGIC[1]),
                valueCodeableConcept=concept(taut_coding("pgic", checkin.pgic, label), text=label),
                **common,
            )
        )  # fmt: skip
    found += _gas(checkin, goals, holder, common, visit_id=visit_id)
    return found


def _gas(checkin: Any, goals: Sequence[Any], holder: str, common: Json, *,
         visit_id: UUID | str) -> list[Json]:  # fmt: skip
    levels = checkin.answers.get("gas") or {}
    found = []
    for position, goal in enumerate(goals, 1):
        level = levels.get(str(goal.pk))
        if level not in GAS_LEVELS:
            continue
        found.append(
            _observation(
                derived_id(holder, f"gas-{position}"),
                code=concept(taut_coding("checkin-item", *GAS), text=GAS[1]),
                focus=[ref("Goal", goal_id(visit_id, position))],
                valueCodeableConcept=gas_level(level),
                **common,
            )
        )
    return found


# --- Trigger point and structure findings ----------------------------------------------


def finding(visit: Any, entry: Any, *, patient_id: UUID | str) -> Json:
    """One examined site ([UC] us-core-simple-observation, category exam): what kind of
    exam (Taut ``trigger-point-finding``), the classification as the value, each criterion
    examined as a component (yes/no), the pressure pain threshold in kPa, the site with
    its side as ``bodySite``."""
    muscle = entry.is_muscle
    labels = trigger_points.LABELS if muscle else structure_exam.LABELS
    fields = (*trigger_points.CLUSTER, "recognised", *trigger_points.SUPPORTING) if muscle else (
        tuple(structure_exam.LABELS)
    )  # fmt: skip
    components = [
        {
            "code": concept(
                taut_coding("trigger-point-finding", f, FINDING_DISPLAYS[f]), text=labels[f]
            ),
            "valueBoolean": getattr(entry, f),
        }
        for f in fields
        if getattr(entry, f) is not None
    ]
    if entry.ppt_kpa is not None:
        components.append(
            {
                "code": concept(taut_coding("trigger-point-finding", *PPT), text=PPT[1]),
                "valueQuantity": quantity(entry.ppt_kpa, "kPa"),
            }
        )
    notes = [f"Where: {entry.location}"] if entry.location else []
    if entry.referred_to:
        notes.append(f"Referred to: {entry.referred_to}")
    kind_label = entry.kind_label
    structure, at = located(entry.muscle, entry.side, local_id="site", patient_id=patient_id)
    return _observation(
        entry.public_id,
        profile=SIMPLE,
        category=EXAM,
        code=concept(taut_coding("trigger-point-finding", *EXAM_CODES[muscle]),
                     text=EXAM_CODES[muscle][1]),
        patient_id=patient_id,
        last_updated=entry.recorded_at,
        encounter=ref("Encounter", visit.public_id),
        effectiveDateTime=instant(entry.recorded_at),
        performer=[ref("Practitioner", entry.recorded_by.public_id)] if entry.recorded_by else [],
        valueCodeableConcept=concept(
            taut_coding("trigger-point-finding", entry.kind, FINDING_DISPLAYS.get(entry.kind, kind_label)),
            text=kind_label,
        ),
        contained=[structure],
        bodySite=at,
        note=[{"text": text} for text in notes],
        component=components,
    )  # fmt: skip
