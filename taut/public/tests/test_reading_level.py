"""The public page and the self-check's outcomes read easily in both languages.

English: Flesch–Kincaid grade ≤ 7 (``textstat.flesch_kincaid_grade``), as the issue asks and
as Taut's other patient texts (``taut/clinical/tests/test_patient_questions.py``).

Spanish: Fernández-Huerta score ≥ 70 (``textstat.fernandez_huerta`` with
``textstat.set_lang("es")``). Band: 70–80 is "bastante fácil" (fairly easy), 80–90
"fácil", 90–100 "muy fácil" in Fernández Huerta's table (J. Fernández Huerta, "Medidas
sencillas de lecturabilidad", Consigna 214, 1959, as legible.es presents it:
https://legible.es/blog/lecturabilidad-fernandez-huerta/, the page textstat's docstring
cites). 70 is the bottom of the easy bands.
"""

from pathlib import Path

import pytest
import textstat
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from taut.clinical import patient_education as education

MAX_GRADE = 7
MIN_FERNANDEZ_HUERTA = 70
RED_FLAG_IDS = [q.id for q in education.SELFCHECK_RED_FLAGS]


def sentences(texts) -> str:
    """One sentence per line: headings and list items end where they end."""
    lines = [t.replace("{number}", "911").strip() for t in texts]
    return "\n".join(line if line[-1] in ".?!:" else f"{line}." for line in lines)


def section_texts(section):
    return [section.heading, *([section.lead] if section.lead else []), *(
        item.text for item in section.items)]  # fmt: skip


def answers(*, duration="over_3_months", tried=("massage",), yes=()):
    return {
        "regions": ["low_back"],
        "duration": duration,
        "tried": list(tried),
        "red_flags": {code: code in yes for code in RED_FLAG_IDS},
    }


OUTCOMES = {
    "emergency": education.selfcheck(answers(yes=("back.bladder_bowel",))),
    "see_doctor_soon": education.selfcheck(answers(yes=("back.fever",))),
    "not_first_step": education.selfcheck(answers(duration="under_6_weeks", tried=("nothing",))),
    "worth_discussing": education.selfcheck(answers()),
}


def outcome_texts(outcome):
    texts = [outcome.heading, *outcome.lines, education.NOT_A_DIAGNOSIS]
    texts += [t for reason in outcome.reasons for t in (reason.text, reason.detail) if t]
    return texts + [step.text for step in outcome.next_steps]


@pytest.fixture
def spanish():
    textstat.set_lang("es")
    with translation.override("es"):
        yield lambda texts: sentences(gettext(t) for t in texts)
    textstat.set_lang("en_US")


def test_the_outcomes_cover_every_kind():
    assert {o.kind.value for o in OUTCOMES.values()} == set(OUTCOMES)


def test_the_page_reads_at_grade_7_or_lower_in_english():
    every = [t for section in education.SECTIONS for t in section_texts(section)]
    assert textstat.flesch_kincaid_grade(sentences(every)) <= MAX_GRADE
    for section in education.SECTIONS:
        grade = textstat.flesch_kincaid_grade(sentences(section_texts(section)))
        assert grade <= MAX_GRADE, (section.id, grade)


@pytest.mark.parametrize("kind", OUTCOMES)
def test_each_outcome_reads_at_grade_7_or_lower_in_english(kind):
    grade = textstat.flesch_kincaid_grade(sentences(outcome_texts(OUTCOMES[kind])))
    assert grade <= MAX_GRADE, (kind, grade)


def test_the_page_is_easy_in_spanish(spanish):
    every = [t for section in education.SECTIONS for t in section_texts(section)]
    assert textstat.fernandez_huerta(spanish(every)) >= MIN_FERNANDEZ_HUERTA
    for section in education.SECTIONS:
        score = textstat.fernandez_huerta(spanish(section_texts(section)))
        assert score >= MIN_FERNANDEZ_HUERTA, (section.id, score)


@pytest.mark.parametrize("kind", OUTCOMES)
def test_each_outcome_is_easy_in_spanish(spanish, kind):
    text = spanish(outcome_texts(OUTCOMES[kind]))
    assert textstat.fernandez_huerta(text) >= MIN_FERNANDEZ_HUERTA, (kind, text)


def test_every_english_sentence_has_a_spanish_one(spanish):
    """The content, the choices and screening's questions are all in the catalogue."""
    texts = [t for section in education.SECTIONS for t in section_texts(section)]
    texts += [c.label for c in (*education.SELFCHECK_AREAS, *education.DURATIONS,
                                *education.TRIED)]  # fmt: skip
    texts += [t for outcome in OUTCOMES.values() for t in outcome_texts(outcome)]
    texts += [q.patient_text for q in education.SELFCHECK_RED_FLAGS]
    with translation.override("es"):
        untranslated = [t for t in texts if gettext(t) == t and t not in ("No",)]
    assert untranslated == []


def catalogue_msgids() -> list[str]:
    """The English sentences of the Spanish catalogue, placeholders as ``{number}`` left."""
    path = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
    msgids, current, in_msgid = [], [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current, in_msgid = [line[7:-1]], True
        elif line.startswith('"') and in_msgid:
            current.append(line[1:-1])
        else:
            if in_msgid and current != [""]:
                msgids.append("".join(current).replace('\\"', '"'))
            in_msgid = False
    return [m for m in msgids if "%(" not in m and "{" not in m]
