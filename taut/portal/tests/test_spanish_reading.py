"""The Spanish check-in questions, aftercare handout and advice read easily: each, as the
patient reads it, scores in the "easy" band of the Fernández-Huerta index (80 or more:
"fácil"; 90 or more "muy fácil") and at least "bastante fácil" on the INFLESZ scale
(Szigriszt-Pazos, 65 or more), as textstat computes them. The English wording has its own
test (grade 7 or lower, taut/clinical/tests/test_aftercare.py)."""

import pytest
import textstat
from django.utils import translation

from taut.clinical import aftercare, checkins
from taut.lib.patient_words import translated

EASY_FERNANDEZ_HUERTA = 80
FAIRLY_EASY_INFLESZ = 65
NECK, ARM = ("trapezius_upper", "left"), ("deltoid", "right")


@pytest.fixture(autouse=True)
def spanish():
    textstat.set_lang("es")
    with translation.override("es"):
        yield
    textstat.set_lang("en_US")


def text(lines) -> str:
    """One document: each line a sentence (a bullet without a full stop gets one)."""
    return "\n".join(line if line.endswith((".", "?", ":")) else f"{line}." for line in lines)


def assert_easy(lines):
    document = text(lines)
    assert "Your" not in document and "Call" not in document  # it is the Spanish
    assert textstat.fernandez_huerta(document) >= EASY_FERNANDEZ_HUERTA, document
    assert textstat.szigriszt_pazos(document) >= FAIRLY_EASY_INFLESZ, document


@pytest.mark.parametrize(
    "sites, extras",
    [
        ([ARM], {}),
        ([NECK, ARM], {"agents": ["lidocaine"]}),
        ([NECK], {"agents": ["lidocaine"], "steroid": True, "diabetes": True,
                  "blood_thinner": True}),
    ],
)  # fmt: skip
def test_the_spanish_handout_is_easy_to_read(sites, extras):
    handout = aftercare.instructions(sites, clinic_name="Clínica Sur", clinic_phone="555", **extras)
    assert_easy(
        [translated(s.heading) for s in handout.sections]
        + [translated(line) for s in handout.sections for line in s.lines]
    )


def test_the_spanish_advice_after_a_warning_answer_is_easy_to_read():
    advice = aftercare.advice_after_warnings(
        ["breathing", "infection", "last_symptoms"], clinic_name="Clínica Sur"
    )
    assert_easy([translated(line) for line in (*advice.emergency, *advice.call)])


def test_the_spanish_check_in_questions_are_easy_to_read():
    asked = checkins.questions(
        "day_1", sites=[NECK], has_goals=False, agents=["lidocaine"], steroid_and_diabetes=True
    ) + checkins.questions("week_6", sites=[ARM], has_goals=True)
    words = {translated(q.prompt) for q in asked}
    words |= {translated(choice.label) for q in asked for choice in q.choices}
    assert_easy(sorted(words))
