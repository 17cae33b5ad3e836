"""One US English voice in everything a patient reads (issue 11: "call 911", "hemophilia",
"bowel or bladder"), and the reading grade across the whole set: the aftercare handout for
every kind of session and patient, what a patient reads after a warning answer, after an
intake that needs a call, and every question asked before the visit and at a check-in.

Source of the grade: Kincaid et al. 1975 (``aftercare.reading_grade``); the voice is
Taut's (clinic policy)."""

import itertools
import re

import pytest

from taut.clinical import checkins, urgency
from taut.clinical.aftercare import Sign, advice_after_warnings, instructions, reading_grade
from taut.clinical.screening import (
    PATIENT_ALLERGY_QUESTION,
    PATIENT_RED_FLAG_SETS,
    PATIENT_SAFETY_QUESTIONS,
)

MAX_GRADE = 7
# British spellings and words, and the words the issue replaced ("ambulance": "call 911").
NOT_US = re.compile(
    r"anaesth|haem|colour|physio|ambulance|programme|centre|\btick\b|\bpoo\b|\(fit\)|"
    r"\bA&E\b|\bGP\b|paracetamol|at once",
    re.IGNORECASE,
)
SITES = [[("deltoid", "right")], [("trapezius_upper", "left"), ("pectoralis_major", "right")]]


def handouts():
    for sites, agents, flags in itertools.product(
        SITES, [[], ["lidocaine"]], itertools.product([False, True], repeat=3)
    ):
        steroid, blood_thinner, diabetes = flags
        yield instructions(
            sites,
            agents=agents,
            steroid=steroid,
            blood_thinner=blood_thinner,
            diabetes=diabetes,
            clinic_name="Riverside Pain Clinic",
            clinic_phone="555-0100",
        )


def every_text():
    texts = [text for handout in handouts() for text in handout.texts]
    for count in (1, 2):
        for signs in itertools.combinations([str(s) for s in Sign], count):
            texts += advice_after_warnings(signs, clinic_phone="555-0100").texts
    for code in urgency.RATINGS:
        found = urgency.message(urgency.assess([code]), clinic_phone="555-0100")
        texts += found.texts if found else []
    texts += [q.patient_text for group in PATIENT_RED_FLAG_SETS.values() for q in group]
    for question in (*PATIENT_SAFETY_QUESTIONS, PATIENT_ALLERGY_QUESTION):
        texts += [question.text, question.help]
    asked = checkins.questions(
        "day_1", sites=SITES[1], has_goals=True, steroid_and_diabetes=True
    ) + checkins.questions("week_6", sites=SITES[1], has_goals=True)
    texts += [q.prompt for q in asked]
    return sorted({text for text in texts if text})


TEXTS = every_text()


@pytest.mark.parametrize("text", TEXTS)
def test_it_speaks_us_english(text):
    assert not NOT_US.search(text), text


def test_it_grades_the_handout_advice_and_messages_at_7_or_lower():
    graded = [t for t in TEXTS if not re.search(r"warfarin|PEG|describes", t)]
    too_hard = [t for t in graded if reading_grade(t) > MAX_GRADE and len(t.split()) > 3]
    assert too_hard == []


def test_it_says_call_911_for_every_emergency():
    emergencies = [t for t in TEXTS if "emergency" in t.lower() or "call 911" in t.lower()]
    assert emergencies
    assert all("911" in t or "emergency number" not in t for t in emergencies)
    assert "Please call us today" not in " ".join(
        urgency.message(urgency.assess(["back.saddle_numbness"])).texts
    )
