"""The screening and pain questions as the patient reads them before the visit."""

import re
from dataclasses import fields

import pytest

from taut.clinical import checkins, intake, screening
from taut.clinical.aftercare import WARNING_SIGNS, reading_grade
from taut.clinical.screening import (
    BOOLEAN_ANSWERS,
    PATIENT_ALLERGY_QUESTION,
    PATIENT_RED_FLAG_SETS,
    PATIENT_SAFETY_QUESTIONS,
    RED_FLAG_SETS,
    RedFlag,
    ScreeningAnswers,
    fold_red_flags,
)

PATIENT_RED_FLAGS = [q for group in PATIENT_RED_FLAG_SETS.values() for q in group]
ALL_RED_FLAGS = [q for group in RED_FLAG_SETS.values() for q in group]
# Clinicians' words a patient should not have to know (the plain wording replaces them).
JARGON = ("gait", "meningism", "myelopathy", "Lhermitte", "saddle", "urine", "vertigo",
          "drop attack", "anticoagulant", "antiplatelet", "contraindication", "trauma")  # fmt: skip


def patient_texts():
    return [q.patient_text for q in PATIENT_RED_FLAGS] + [
        q.text for q in (*PATIENT_SAFETY_QUESTIONS, PATIENT_ALLERGY_QUESTION)
    ]


MAX_GRADE = 7  # US grade 7 ≈ age 12–13, as the aftercare handout
# A medicine's name is matched against the pill bottle, not read as prose: graded as "pill".
MEDICINE_NAMES = re.compile(
    r"\b(warfarin|Coumadin|apixaban|Eliquis|rivaroxaban|Xarelto|dabigatran|Pradaxa|"
    r"clopidogrel|Plavix|aspirin)\b"
)


def every_patient_text():
    """Every question, hint and scale label a patient reads before the visit and at a
    check-in, but the PEG's: a validated instrument keeps its own words [S36]."""
    texts = patient_texts()
    texts += [q.help for q in (*PATIENT_SAFETY_QUESTIONS, PATIENT_ALLERGY_QUESTION) if q.help]
    for item in intake.PAIN_ITEMS:
        texts += [item.prompt, item.low, item.high]
    texts += [w.question for w in WARNING_SIGNS]
    for day in ("day_1", "week_6"):  # every check-in prompt (a choice's label is no sentence)
        asked = checkins.questions(
            day, sites=[("trapezius_upper", "left")], has_goals=True, steroid_and_diabetes=True
        )
        texts += [q.prompt for q in asked if q.kind is not checkins.Kind.PEG]
    return list(dict.fromkeys(texts))


@pytest.mark.parametrize("text", every_patient_text())
def test_it_asks_every_question_at_a_reading_age_of_about_12(text):
    """Issue 11: the pre-visit safety and red-flag questions were at grade 8–11."""
    assert reading_grade(MEDICINE_NAMES.sub("pill", text)) <= MAX_GRADE, text


@pytest.mark.parametrize("text", patient_texts())
def test_it_words_each_patient_question_plainly(text):
    assert text.endswith("?")
    assert not any(word.lower() in text.lower() for word in JARGON), text
    for sentence in re.split(r"(?<=[?.])\s+", text):
        assert len(sentence.split()) <= 32, sentence  # short sentences: a reading age of ~12


def test_it_asks_patients_every_red_flag_question_but_the_examination_findings():
    unasked = [q for q in ALL_RED_FLAGS if q not in PATIENT_RED_FLAGS]
    assert [q.id for q in unasked] == ["neck.long_tract_signs"]
    assert all(q.text.startswith("On examination") for q in unasked)


def test_it_covers_every_red_flag_group_in_the_patients_questions():
    """Each of the seven groups of S25, S26 and S27 is asked of the patient at least once."""
    assert {q.flag for q in PATIENT_RED_FLAGS} == set(RedFlag)


def test_it_keeps_a_group_with_an_examination_finding_open_after_the_patient_says_no():
    answers = {q.id: False for q in PATIENT_RED_FLAGS}
    answers |= {q.id: None for q in ALL_RED_FLAGS if q not in PATIENT_RED_FLAGS}
    folded = fold_red_flags(answers)
    assert folded["myelopathy_signs"] is None  # the clinician still examines
    assert folded["cauda_equina_signs"] is False


def test_it_treats_a_patients_yes_as_the_clinicians_yes():
    answers = {q.id: False for q in PATIENT_RED_FLAGS} | {"back.saddle_numbness": True}
    verdict = screening.screen(ScreeningAnswers(**fold_red_flags(answers)))
    assert verdict.status == screening.Status.NOT_ELIGIBLE
    assert "red_flag.cauda_equina_signs" in {r.code for r in verdict.reasons}


def test_it_maps_each_safety_question_to_a_screening_answer_with_a_source():
    ids = [q.id for q in PATIENT_SAFETY_QUESTIONS]
    assert len(ids) == len(set(ids))
    assert set(ids) <= set(BOOLEAN_ANSWERS)
    assert "steroid_planned" not in ids  # the clinician's decision, not the patient's
    assert PATIENT_ALLERGY_QUESTION.id in {f.name for f in fields(ScreeningAnswers)}
    for question in (*PATIENT_SAFETY_QUESTIONS, PATIENT_ALLERGY_QUESTION):
        assert question.source and question.status in ("verified", "secondary", "unverified")


def test_it_asks_the_three_pain_scores_and_keeps_the_pegs_own_words():
    assert [q.id for q in intake.PAIN_ITEMS] == ["nrs_now", "nrs_average", "nrs_worst"]
    assert all(q.scale == (0, 10) and q.low == "No pain" for q in intake.PAIN_ITEMS)
    assert intake.PEG_ITEMS is checkins.PEG  # a validated instrument: one wording only
    assert [q.id for q in intake.PEG_ITEMS] == ["peg_pain", "peg_enjoyment", "peg_activity"]
