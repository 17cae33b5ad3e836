"""The public page's content and the self-check "Could trigger point injections help me?"."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.clinical import atlas, urgency
from taut.clinical.patient_education import (
    DURATIONS,
    FIRST_STEPS,
    NOT_A_DIAGNOSIS,
    SECTIONS,
    SELFCHECK_AREAS,
    SELFCHECK_RED_FLAGS,
    SOURCE_IDS,
    SOURCES,
    TRIED,
    Kind,
    read_answers,
    selfcheck,
    selfcheck_summary,
)
from taut.clinical.screening import PATIENT_RED_FLAG_SETS

RED_FLAG_IDS = [q.id for q in SELFCHECK_RED_FLAGS]
EMERGENCY_IDS = [
    code for code in RED_FLAG_IDS if urgency.RATINGS[code].tier is urgency.Tier.EMERGENCY
]
SOON_IDS = [code for code in RED_FLAG_IDS if code not in EMERGENCY_IDS]


def answers(*, regions=("low_back",), duration="over_3_months", tried=("massage",), yes=()):
    return {
        "regions": list(regions),
        "duration": duration,
        "tried": list(tried),
        "red_flags": {code: code in yes for code in RED_FLAG_IDS},
    }


# (case, answers, outcome). Sources: emergencies and red flags as urgency.RATINGS ([S25],
# [S26], [S27]); first-line care before TPI [S3]; 6 weeks of conservative care [S56].
# fmt: off
CASES = [
    ("nothing wrong, long pain, tried care", answers(), Kind.WORTH_DISCUSSING),
    ("6 weeks to 3 months, tried PT", answers(duration="6_weeks_to_3_months",
     tried=("physical_therapy",)), Kind.WORTH_DISCUSSING),
    ("short duration [S56]", answers(duration="under_6_weeks"), Kind.NOT_FIRST_STEP),
    ("nothing tried yet [S3]", answers(tried=("nothing",)), Kind.NOT_FIRST_STEP),
    ("short and nothing tried", answers(duration="under_6_weeks", tried=("nothing",)),
     Kind.NOT_FIRST_STEP),
    ("fever [S25]", answers(yes=("back.fever",)), Kind.SEE_DOCTOR_SOON),
    ("cancer history [S26]", answers(yes=("neck.cancer_or_weight_loss",)),
     Kind.SEE_DOCTOR_SOON),
    ("red flag beats short duration", answers(duration="under_6_weeks", tried=("nothing",),
     yes=("back.trauma",)), Kind.SEE_DOCTOR_SOON),
    ("saddle numbness [S25]", answers(yes=("back.saddle_numbness",)), Kind.EMERGENCY),
    ("tearing neck pain [S26]", answers(yes=("neck.vascular",)), Kind.EMERGENCY),
    ("emergency beats a same-day flag", answers(yes=("neck.fever", "neck.bladder_bowel")),
     Kind.EMERGENCY),
    ("emergency beats short and nothing tried", answers(duration="under_6_weeks",
     tried=("nothing",), yes=("back.bladder_bowel",)), Kind.EMERGENCY),
    ("everything yes", answers(yes=RED_FLAG_IDS), Kind.EMERGENCY),
]
# fmt: on


@pytest.mark.parametrize(("case", "given_answers", "kind"), CASES, ids=[c[0] for c in CASES])
def test_it_gives_the_outcome_of_the_table(case, given_answers, kind):
    assert selfcheck(given_answers).kind is kind


def test_it_asks_the_patient_red_flag_questions_of_screening():
    """The questions are screening's, with their patient wording: none restated here."""
    asked = [q for questions in PATIENT_RED_FLAG_SETS.values() for q in questions]
    assert list(SELFCHECK_RED_FLAGS) == asked
    assert all(q.patient_text for q in SELFCHECK_RED_FLAGS)
    assert EMERGENCY_IDS and SOON_IDS


@given(
    emergency=st.lists(st.sampled_from(EMERGENCY_IDS), min_size=1, unique=True),
    others=st.lists(st.sampled_from(SOON_IDS), unique=True),
    duration=st.sampled_from([d.id for d in DURATIONS]),
    tried=st.sampled_from([["nothing"], ["massage"], ["pain_medicine", "heat_or_ice"]]),
    regions=st.lists(st.sampled_from([a.id for a in SELFCHECK_AREAS]), min_size=1, unique=True),
)
def test_it_says_emergency_for_any_emergency_answer_whatever_else(
    emergency, others, duration, tried, regions
):
    given_answers = answers(
        regions=regions, duration=duration, tried=tried, yes=(*emergency, *others)
    )
    outcome = selfcheck(given_answers)
    assert outcome.kind is Kind.EMERGENCY
    assert outcome.emergency and not outcome.offer_request
    assert outcome.lines[0] == "Call {number} now."
    assert {r.detail for r in outcome.reasons} == {
        q.patient_text for q in SELFCHECK_RED_FLAGS if q.id in emergency
    }


@pytest.mark.parametrize("code", SOON_IDS)
def test_it_sends_each_other_red_flag_to_a_doctor_soon(code):
    outcome = selfcheck(answers(yes=(code,)))
    assert outcome.kind is Kind.SEE_DOCTOR_SOON
    assert outcome.offer_request
    (reason,) = outcome.reasons
    assert reason.detail == next(q.patient_text for q in SELFCHECK_RED_FLAGS if q.id == code)
    assert set(reason.sources) <= {"S25", "S26", "S27"} and reason.sources


def test_it_carries_reasons_and_sources_on_every_outcome():
    for _case, given_answers, kind in CASES:
        outcome = selfcheck(given_answers)
        assert outcome.reasons, kind
        assert outcome.sources and set(outcome.sources) <= SOURCE_IDS, kind
        assert outcome.heading and outcome.lines


def test_it_says_what_usually_comes_first_when_not_the_first_step():
    outcome = selfcheck(answers(duration="under_6_weeks", tried=("nothing",)))
    assert outcome.next_steps == FIRST_STEPS
    assert len(outcome.reasons) == 2
    assert "S3" in outcome.sources and "S56" in outcome.sources
    assert selfcheck(answers()).next_steps == ()


# fmt: off
BAD = [
    ("not a dict", [], "answers: expected a mapping"),
    ("unknown field", {**answers(), "name": "Ann"}, "answers: unknown field 'name'"),
    ("missing field", {k: v for k, v in answers().items() if k != "tried"}, "tried: missing"),
    ("no region", answers(regions=()), "regions: choose at least one"),
    ("unknown region", answers(regions=("moon",)), "regions[0]: unknown choice 'moon'"),
    ("twice", answers(regions=("calf", "calf")), "regions: a choice is listed twice"),
    ("duration", answers(duration="forever"), "duration: unknown choice 'forever'"),
    ("nothing tried list empty", answers(tried=()), "tried: choose at least one"),
    ("nothing with others", answers(tried=("nothing", "massage")), "tried: 'nothing' cannot"),
    ("red flag not bool", {**answers(), "red_flags": {**answers()["red_flags"],
     "neck.fever": "yes"}}, "red_flags['neck.fever']: expected True or False"),
    ("red flag unknown", {**answers(), "red_flags": {**answers()["red_flags"], "x": True}},
     "red_flags: unknown question 'x'"),
    ("red flag missing", {**answers(), "red_flags": {"neck.fever": False}},
     "not answered"),
]
# fmt: on


@pytest.mark.parametrize(("case", "bad", "message"), BAD, ids=[c[0] for c in BAD])
def test_it_refuses_bad_answers_naming_the_field(case, bad, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(")):
        selfcheck(bad)
    with pytest.raises(ValueError):
        selfcheck_summary(bad)


def test_it_reads_answers_that_went_through_json():
    given_answers = json.loads(json.dumps(answers(yes=("back.fever",))))
    assert read_answers(given_answers).red_flags["back.fever"] is True
    assert selfcheck(given_answers).kind is Kind.SEE_DOCTOR_SOON


def test_it_summarises_for_staff_in_plain_english():
    lines = selfcheck_summary(
        answers(regions=("neck_posterior_lower", "low_back"), yes=("neck.bladder_bowel",))
    )
    assert lines[0].startswith("Self-check outcome: Emergency")
    assert "Where it hurts: Neck, Low back." in lines
    assert "How long: More than 3 months." in lines
    assert "Red flag, answered yes: Any new trouble controlling the bladder or bowel?" in lines
    assert not any("_" in line for line in lines)  # nothing a person reads is an identifier
    calm = selfcheck_summary(answers())
    assert calm[0].startswith("Self-check outcome: May be worth discussing")
    assert calm[-1] == f"Red flags: none answered yes ({len(RED_FLAG_IDS)} asked)."


def test_it_ties_every_fact_of_the_page_to_listed_sources():
    assert len(SOURCE_IDS) == len(SOURCES)
    for section in SECTIONS:
        for item in section.items:
            assert item.sources and set(item.sources) <= SOURCE_IDS, item.text
    # The public leaflets and the AAFP reviews are cited.
    cited = {s for section in SECTIONS for s in section.sources}
    assert {"P1", "P2", "S1", "S3"} <= cited
    assert all(source.url.startswith("http") for source in SOURCES)


def test_it_covers_what_the_issue_asks_the_page_to_say():
    text = " ".join(item.text for section in SECTIONS for item in section.items)
    for words in ("knot", "numbing", "{number}", "bladder", "blood", "allergic", "pregnant",
                  "diabetes", "afraid of needles", "thin needle", "sting", "sore or numb",
                  "physical therapy", "one visit", "few visits", "10 minutes"):  # fmt: skip
        assert words in text, words
    assert [s.id for s in SECTIONS] == [
        "what", "who", "not-for", "emergency", "how-well", "before", "during", "after",
        "questions",
    ]  # fmt: skip
    assert "diagnosis" in NOT_A_DIAGNOSIS


def test_it_names_atlas_regions_and_plain_choices():
    assert {a.id for a in SELFCHECK_AREAS} <= set(atlas.REGIONS)
    assert TRIED[-1].id == "nothing"
