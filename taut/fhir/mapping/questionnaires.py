"""Questionnaire (Taut's intake and check-in, the same for every patient; base R4) and
QuestionnaireResponse (a visit's intake, a completed check-in; us-core-questionnaireresponse).

The intake's and the check-in's items are listed once here: the Questionnaire's items and
each response's ``linkId`` come from the same tables, so they cannot drift apart.
"""

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from taut.clinical import aftercare, atlas, checkins, dosing, screening
from taut.clinical import intake as intake_rules
from taut.fhir.mapping import codes
from taut.fhir.mapping.base import Json, coding, derived_id, instant, ref, resource, taut_coding
from taut.fhir.mapping.plans import GAS_LEVELS

INTAKE_ID, CHECKIN_ID = "taut-intake", "taut-checkin"


def canonical(questionnaire_id: str) -> str:
    return f"{codes.TAUT_CANONICAL}/Questionnaire/{questionnaire_id}"


def _yes_no(text: str) -> tuple[str, str]:
    return "boolean", text


# Intake fields → (type, text); the pain and PEG items keep the instrument's words.
_PAIN = {q.id: ("integer", q.prompt) for q in (*intake_rules.PAIN_ITEMS, *intake_rules.PEG_ITEMS)}
INTAKE_ITEMS: Mapping[str, tuple[str, str]] = {
    "reason": ("string", "Reason for visit"),
    "index_region": ("string", "Where is the main pain?"),
    "index_side": ("string", "Which side?"),
    "pain_months": ("integer", "How long (months)"),
    **_PAIN,
    "site_infection_or_broken_skin": _yes_no("Infection or broken skin at the site"),
    "acute_muscle_trauma_at_site": _yes_no("Acute muscle trauma at the site"),
    "pregnant": _yes_no("Pregnant"),
    "bleeding_disorder": _yes_no("Bleeding disorder"),
    "anticoagulant_or_antiplatelet": _yes_no("Takes an anticoagulant or antiplatelet"),
    "needle_phobia": _yes_no("Needle phobia"),
    "steroid_planned": _yes_no("Steroid planned"),
    "diabetes": _yes_no("Diabetes"),
    "diabetes_poorly_controlled": _yes_no("Diabetes poorly controlled"),
    "conservative_care": ("string", "Conservative care tried"),
    "conservative_care_weeks": ("integer", "Conservative care (weeks)"),
    "previous_tpi": _yes_no("Previous trigger point injections"),
    "previous_tpi_details": ("string", "When and where"),
    "previous_tpi_relief": ("integer", "Relief from them (%)"),
}
RED_FLAGS = {q.id: q.text for q in (*screening.NECK_RED_FLAGS, *screening.BACK_RED_FLAGS)}
# The PEG items' LOINC codes only once verified (codes.PEG_LOINC_VERIFIED).
_PEG_CODES = codes.PEG_ITEMS if codes.PEG_LOINC_VERIFIED else {}
_ITEM_CODES = {"nrs_now": codes.PAIN_NRS, "nrs": codes.PAIN_NRS, **_PEG_CODES}
_WARNINGS = {sign.sign.value: sign.question for sign in aftercare.WARNING_SIGNS}
_SCORES = ("nrs", "peg_pain", "peg_enjoyment", "peg_activity", "soreness")
_CHECKIN_TEXT = {q.id: q.prompt for q in (checkins.NRS, *checkins.PEG, checkins.SORENESS)}


def _item(link_id: str, kind: str, text: str, **more: Any) -> Json:
    item: Json = {"linkId": link_id, "text": text, "type": kind}
    if link_id in _ITEM_CODES:
        item["code"] = [coding(codes.LOINC, *_ITEM_CODES[link_id])]
    item.update(more)
    return item


def _options(system_id: str, choices: Sequence[tuple[object, str]]) -> list[Json]:
    return [{"valueCoding": taut_coding(system_id, str(v), label)} for v, label in choices]


def _goal_group(link_id: str, text: str) -> Json:
    return _item(
        link_id, "group", text, repeats=True,
        item=[
            _item(f"{link_id}.text", "string", "Goal, in the patient's words"),
            _item(f"{link_id}.level", "choice", "GAS level",
                  answerOption=_options("gas-level", list(GAS_LEVELS.items()))),
        ],
    )  # fmt: skip


def _questionnaire(qid: str, version: str, title: str, items: list[Json]) -> Json:
    return resource(
        "Questionnaire",
        qid,
        last_updated=None,
        url=canonical(qid),
        version=version,
        name=title.title().replace(" ", "").replace("-", ""),
        title=title,
        status="active",
        subjectType=["Patient"],
        publisher="Taut",
        item=items,
    )


def intake_questionnaire() -> Json:
    """The pre-visit intake ([R4] Questionnaire; version ``clinical.intake.VERSION``)."""
    allergens = [(code, dosing.allergen_label(code)) for code in dosing.AGENT_CLASSES]
    items = [_item(field, kind, text) for field, (kind, text) in INTAKE_ITEMS.items()]
    items.append(
        _item("red_flags", "group", "Red flags",
              item=[_item(f"red_flags.{q}", "boolean", text) for q, text in RED_FLAGS.items()])
    )  # fmt: skip
    items.append(
        _item("anaesthetic_allergies", "choice", "Local anaesthetic allergies", repeats=True,
              answerOption=_options("allergen", allergens))
    )  # fmt: skip
    items.append(_goal_group("goals", "Goals"))
    return _questionnaire(INTAKE_ID, intake_rules.VERSION, "Pre-visit intake", items)


def checkin_questionnaire() -> Json:
    """Every item a follow-up check-in may ask ([R4] Questionnaire; version
    ``clinical.checkins.VERSION``): which are asked depends on the session and the day."""
    items = [_item(q, "integer", _CHECKIN_TEXT[q]) for q in _SCORES]
    items += [_item(sign, "boolean", text) for sign, text in _WARNINGS.items()]
    items.append(
        _item("pgic", "choice", checkins.PGIC_QUESTION.prompt,
              answerOption=_options("pgic", [(c.value, c.label)
                                             for c in checkins.PGIC_QUESTION.choices]))
    )  # fmt: skip
    items.append(
        _item("treatments", "choice", checkins.TREATMENTS.prompt, repeats=True,
              answerOption=_options("checkin-treatment", [(c.value, c.label)
                                                          for c in checkins.TREATMENTS.choices]))
    )  # fmt: skip
    items.append(_goal_group("gas", checkins.GAS.prompt))
    return _questionnaire(CHECKIN_ID, checkins.VERSION, "Follow-up check-in", items)


# --- Responses -----------------------------------------------------------------------


def _answer(kind: str, value: Any) -> Json:
    if kind == "boolean":
        return {"valueBoolean": bool(value)}
    if kind == "integer":
        return {"valueInteger": int(value)}
    return {"valueString": str(value)}


def _answered(link_id: str, text: str, answers: list[Json]) -> Json:
    return {"linkId": link_id, "text": text, "answer": answers}


def _goal_answers(link_id: str, goals: Sequence[tuple[str, int]]) -> list[Json]:
    return [
        {
            "linkId": link_id,
            "item": [
                _answered(f"{link_id}.text", "Goal, in the patient's words",
                          [{"valueString": text}]),
                _answered(f"{link_id}.level", "GAS level",
                          [{"valueCoding": taut_coding("gas-level", str(level),
                                                       GAS_LEVELS[level])}]),
            ],
        }
        for text, level in goals
        if level in GAS_LEVELS
    ]  # fmt: skip


def _response(resource_id: UUID | str, qid: str, *, patient_id: UUID | str, authored: Any,
              by_patient: bool, recorder: Any | None, items: list[Json], **more: Any) -> Json:  # fmt: skip
    author: Json | None = ref("Patient", patient_id) if by_patient else None
    if not by_patient and recorder is not None:
        author = ref("Practitioner", recorder.public_id)
    return resource(
        "QuestionnaireResponse",
        resource_id,
        last_updated=authored,
        profiles=(codes.us_core("us-core-questionnaireresponse"),),
        questionnaire=canonical(qid),
        status="completed",
        subject=ref("Patient", patient_id),
        authored=instant(authored),
        author=author,
        source=ref("Patient", patient_id) if by_patient else None,
        item=items,
        **more,
    )


def intake_response(visit: Any, intake: Any, goals: Sequence[Any], *,
                    patient_id: UUID | str) -> Json:  # fmt: skip
    """A visit's intake (id: the visit's public id), answered by the patient or by staff."""
    items = []
    for field, (kind, text) in INTAKE_ITEMS.items():
        value = getattr(intake, field)
        if value is None or value == "":
            continue
        if field == "index_region" and value in atlas.REGIONS:
            value = atlas.REGIONS[value].label
        items.append(_answered(field, text, [_answer(kind, value)]))
    flags = [
        _answered(f"red_flags.{q}", RED_FLAGS[q], [{"valueBoolean": bool(v)}])
        for q, v in (intake.red_flags or {}).items()
        if q in RED_FLAGS and v is not None
    ]
    if flags:
        items.append({"linkId": "red_flags", "text": "Red flags", "item": flags})
    allergens = [a for a in intake.anaesthetic_allergies or [] if a in dosing.AGENT_CLASSES]
    if allergens:
        items.append(
            _answered("anaesthetic_allergies", "Local anaesthetic allergies",
                      [{"valueCoding": taut_coding("allergen", a, dosing.allergen_label(a))}
                       for a in allergens])
        )  # fmt: skip
    items += _goal_answers("goals", [(g.text, g.baseline) for g in goals])
    return _response(
        visit.public_id, INTAKE_ID, patient_id=patient_id, authored=intake.recorded_at,
        by_patient=intake.source == "patient", recorder=intake.recorded_by, items=items,
        encounter=ref("Encounter", visit.public_id),
    )  # fmt: skip


def checkin_response(checkin: Any, goals: Sequence[Any], *, patient_id: UUID | str,
                     visit_id: UUID | str) -> Json | None:  # fmt: skip
    """A completed check-in (its public id; None while open), based on the session's
    aftercare CarePlan."""
    if checkin.completed_at is None:
        return None
    answers = checkin.answers or {}
    items = []
    for q in _SCORES:
        if isinstance(answers.get(q), int) and not isinstance(answers[q], bool):
            items.append(_answered(q, _CHECKIN_TEXT[q], [{"valueInteger": answers[q]}]))
    for sign, text in _WARNINGS.items():
        if answers.get(sign) in ("yes", "no"):
            items.append(_answered(sign, text, [{"valueBoolean": answers[sign] == "yes"}]))
    if answers.get("pgic"):
        label = checkins.pgic_label(answers["pgic"])
        items.append(_answered("pgic", checkins.PGIC_QUESTION.prompt,
                               [{"valueCoding": taut_coding("pgic", answers["pgic"], label)}]))  # fmt: skip
    treatments = {str(c.value): c.label for c in checkins.TREATMENTS.choices}
    picked = [t for t in answers.get("treatments") or [] if t in treatments]
    if picked:
        items.append(
            _answered("treatments", checkins.TREATMENTS.prompt,
                      [{"valueCoding": taut_coding("checkin-treatment", t, treatments[t])}
                       for t in picked])
        )  # fmt: skip
    levels = answers.get("gas") or {}
    items += _goal_answers(
        "gas", [(g.text, levels[str(g.pk)]) for g in goals if str(g.pk) in levels]
    )
    return _response(
        checkin.public_id, CHECKIN_ID, patient_id=patient_id, authored=checkin.completed_at,
        by_patient=checkin.source == "patient", recorder=checkin.recorded_by, items=items,
        basedOn=[ref("CarePlan", derived_id(visit_id, "aftercare"))],
    )  # fmt: skip
