"""Screening before TPI: taut.clinical.screening. Sources: clinical.md §2 (ids of §9)."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taut.clinical import dosing
from taut.clinical.screening import (
    BACK_RED_FLAGS,
    BOOLEAN_ANSWERS,
    NECK_RED_FLAGS,
    RED_FLAG_SETS,
    VERSION,
    Indication,
    ReasonKind,
    RedFlag,
    ScreeningAnswers,
    Status,
    fold_red_flags,
    screen,
)

RED_FLAG_FIELDS = [flag.value for flag in RedFlag]

# Every required answer given, nothing found: the baseline "eligible" patient.
CLEAR = {
    **dict.fromkeys(RED_FLAG_FIELDS, False),
    "site_infection_or_broken_skin": False,
    "acute_muscle_trauma_at_site": False,
    "allergic_agents": frozenset(),
    "available_agents": frozenset({"lidocaine", "bupivacaine"}),
    "anticoagulant_or_antiplatelet": False,
    "bleeding_disorder": False,
    "pregnant": False,
    "needle_phobia": False,
    "steroid_planned": False,
    "diabetes_poorly_controlled": None,  # not needed: no steroid planned
    "fibromyalgia_investigational": None,  # not needed: no fibromyalgia
    "conservative_care_tried": True,
    "conservative_care_weeks": 8,
    "indications": frozenset({Indication.MYOFASCIAL_PAIN}),
}


def answers(**changes) -> ScreeningAnswers:
    return ScreeningAnswers(**{**CLEAR, **changes})


def codes(verdict) -> set[str]:
    return {r.code for r in verdict.reasons}


def test_it_is_eligible_with_an_indication_and_nothing_against():
    verdict = screen(answers())
    assert verdict.status == Status.ELIGIBLE
    assert verdict.reasons == ()
    assert verdict.version == VERSION


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        # Red flags, refer for work-up: S25 (AHCPR back), S26 (AAFP neck), S27 (GPonline).
        ({"cauda_equina_signs": True}, "red_flag.cauda_equina_signs"),  # S25
        ({"myelopathy_signs": True}, "red_flag.myelopathy_signs"),  # S26
        ({"fever_or_infection": True}, "red_flag.fever_or_infection"),  # S9, S25, S26
        (
            {"cancer_with_new_pain_or_weight_loss": True},
            "red_flag.cancer_with_new_pain_or_weight_loss",
        ),  # S25, S26
        (
            {"progressive_weakness_or_numbness": True},
            "red_flag.progressive_weakness_or_numbness",
        ),  # S25, S26
        ({"vascular_neck_symptoms": True}, "red_flag.vascular_neck_symptoms"),  # S26
        ({"major_trauma": True}, "red_flag.major_trauma"),  # S25, S27
        # Local infection or skin breakdown over the site: S9, S15b.
        ({"site_infection_or_broken_skin": True}, "site_infection_or_broken_skin"),
        # Acute trauma to the muscle at the site: S9.
        ({"acute_muscle_trauma_at_site": True}, "acute_muscle_trauma_at_site"),
        # Allergy to the planned anaesthetic, here to every agent available: S9.
        (
            {"allergic_agents": {"lidocaine", "bupivacaine"}},
            "allergy_all_agents",
        ),
        # Tenderness alone is not an indication; an active TrP is needed: S8c.
        ({"indications": frozenset()}, "no_indication"),
    ],
)
def test_it_is_not_eligible_for_each_exclusion(changes, code):
    verdict = screen(answers(**changes))
    assert verdict.status == Status.NOT_ELIGIBLE
    assert code in codes(verdict)
    reason = next(r for r in verdict.reasons if r.code == code)
    assert reason.kind == ReasonKind.EXCLUSION
    assert reason.source and reason.text


@pytest.mark.parametrize(
    ("changes", "code", "status"),
    [
        # Anticoagulation: relative contraindication. S9, S2, S62, S24.
        ({"anticoagulant_or_antiplatelet": True}, "anticoagulant_or_antiplatelet", "verified"),
        # Known bleeding disorder: S9.
        ({"bleeding_disorder": True}, "bleeding_disorder", "verified"),
        # Pregnancy: precaution, S63; trials exclude it, S15b.
        ({"pregnant": True}, "pregnant", "verified"),
        # Needle phobia: memory only in clinical.md §2b, so clinic policy.
        ({"needle_phobia": True}, "needle_phobia", "unverified"),
        # Steroid raises glucose, S9, S22; "avoid in poorly controlled diabetes" is memory.
        (
            {"steroid_planned": True, "diabetes_poorly_controlled": True},
            "steroid_with_poor_diabetes_control",
            "unverified",
        ),
        # BCBS-MA 604 / BCBSA 2.01.103: fibromyalgia investigational, S56.
        (
            {
                "indications": {Indication.FIBROMYALGIA},
                "fibromyalgia_investigational": True,
            },
            "fibromyalgia_investigational",
            "verified",
        ),
        # Conservative care first: S3 (AAFP 2023), S56 (6 weeks), S53 (LCD alternatives).
        ({"conservative_care_tried": False}, "no_conservative_care", "verified"),
        ({"conservative_care_weeks": 5}, "short_conservative_care", "verified"),
    ],
)
def test_it_needs_review_for_each_precaution(changes, code, status):
    verdict = screen(answers(**changes))
    assert verdict.status == Status.NEEDS_REVIEW
    reason = next(r for r in verdict.reasons if r.code == code)
    assert reason.kind == ReasonKind.REVIEW
    assert reason.status == status
    assert reason.source


@pytest.mark.parametrize(
    ("field", "context"),
    [
        *[(name, {}) for name in RED_FLAG_FIELDS],  # S25, S26, S27
        ("site_infection_or_broken_skin", {}),  # S9
        ("acute_muscle_trauma_at_site", {}),  # S9
        ("allergic_agents", {}),  # S9
        ("available_agents", {"allergic_agents": {"lidocaine"}}),  # needed once allergic, S9
        ("anticoagulant_or_antiplatelet", {}),  # S9
        ("bleeding_disorder", {}),  # S9
        ("pregnant", {}),  # S63
        ("needle_phobia", {}),  # clinic policy
        ("steroid_planned", {"diabetes_poorly_controlled": False}),  # S9, S22
        ("diabetes_poorly_controlled", {"steroid_planned": True}),  # S9, S22
        (
            "fibromyalgia_investigational",
            {"indications": {Indication.FIBROMYALGIA}},
        ),  # S56
        ("conservative_care_tried", {}),  # S56
        ("conservative_care_weeks", {"conservative_care_tried": True}),  # S56
        ("indications", {}),  # S8c
    ],
)
def test_it_is_pending_for_each_missing_required_answer(field, context):
    verdict = screen(answers(**{**context, field: None}))
    assert verdict.status == Status.PENDING
    assert verdict.missing == (field,)
    assert f"missing.{field}" in codes(verdict)


@pytest.mark.parametrize(
    "changes",
    [
        # Diabetes matters only with a steroid.
        {"steroid_planned": False, "diabetes_poorly_controlled": None},
        # The payer's fibromyalgia stance matters only for fibromyalgia.
        {"indications": {Indication.NECK_MUSCLE_PAIN}, "fibromyalgia_investigational": None},
        # Available agents matter only for a patient with an allergy.
        {"allergic_agents": frozenset(), "available_agents": None},
    ],
)
def test_it_does_not_ask_for_answers_that_cannot_change_the_verdict(changes):
    assert screen(answers(**changes)).status == Status.ELIGIBLE


def test_it_does_not_ask_for_weeks_when_conservative_care_was_not_tried():
    verdict = screen(answers(conservative_care_tried=False, conservative_care_weeks=None))
    assert verdict.status == Status.NEEDS_REVIEW
    assert verdict.missing == ()


def test_it_reports_a_known_exclusion_even_with_answers_missing():
    """A definite exclusion is already certain, so it beats pending; missing answers still show."""
    verdict = screen(answers(cauda_equina_signs=True, pregnant=None, indications=None))
    assert verdict.status == Status.NOT_ELIGIBLE
    assert {"red_flag.cauda_equina_signs", "missing.pregnant", "missing.indications"} <= codes(
        verdict
    )


def test_it_stays_pending_rather_than_needs_review_while_an_answer_is_missing():
    """A missing answer could still hide an exclusion, so pending beats needs_review."""
    verdict = screen(answers(anticoagulant_or_antiplatelet=True, major_trauma=None))
    assert verdict.status == Status.PENDING
    assert {"anticoagulant_or_antiplatelet", "missing.major_trauma"} <= codes(verdict)


def test_it_prefers_not_eligible_over_needs_review():
    verdict = screen(answers(site_infection_or_broken_skin=True, pregnant=True))
    assert verdict.status == Status.NOT_ELIGIBLE
    assert {"site_infection_or_broken_skin", "pregnant"} <= codes(verdict)


def test_it_returns_every_reason_not_just_the_first():
    verdict = screen(
        answers(
            myelopathy_signs=True,
            major_trauma=True,
            acute_muscle_trauma_at_site=True,
            bleeding_disorder=True,
            needle_phobia=True,
        )
    )
    assert codes(verdict) == {
        "red_flag.myelopathy_signs",
        "red_flag.major_trauma",
        "acute_muscle_trauma_at_site",
        "bleeding_disorder",
        "needle_phobia",
    }


def test_it_notes_which_agents_remain_when_allergic_to_an_ester():
    # Nesacaine label: contraindicated after an allergy to the PABA ester group.
    verdict = screen(
        answers(available_agents={"lidocaine", "procaine"}, allergic_agents={"Procaine "})
    )
    assert verdict.status == Status.ELIGIBLE
    (note,) = verdict.reasons
    assert note.code == "allergy_ester"
    assert note.kind == ReasonKind.NOTE
    assert "no ester (procaine)" in note.text and "Use lidocaine" in note.text


def test_it_notes_an_allergy_to_an_agent_the_clinic_does_not_stock():
    verdict = screen(answers(allergic_agents={"procaine"}))
    assert verdict.status == Status.ELIGIBLE
    assert codes(verdict) == {"allergy_not_stocked"}


def test_it_treats_fibromyalgia_as_eligible_where_the_payer_covers_it():
    # Anthem CG-SURG-17 covers fibromyalgia pain when ACR criteria are met: S57.
    verdict = screen(
        answers(indications={Indication.FIBROMYALGIA}, fibromyalgia_investigational=False)
    )
    assert verdict.status == Status.ELIGIBLE


@pytest.mark.parametrize(
    ("weeks", "minimum", "status"),
    [
        (6, 6, Status.ELIGIBLE),  # exactly 6 weeks meets BCBS-MA 604, S56
        (5, 6, Status.NEEDS_REVIEW),
        (0, 6, Status.NEEDS_REVIEW),
        (4, 4, Status.ELIGIBLE),  # a clinic may set its own threshold
    ],
)
def test_it_compares_conservative_care_weeks_with_the_threshold(weeks, minimum, status):
    verdict = screen(answers(conservative_care_weeks=weeks), min_conservative_weeks=minimum)
    assert verdict.status == status


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pregnant": "yes"}, "pregnant"),
        ({"conservative_care_weeks": -1}, "conservative_care_weeks"),
        ({"conservative_care_weeks": 2.5}, "conservative_care_weeks"),
        ({"indications": {"back_ache"}}, "indications"),
        ({"indications": "fibromyalgia"}, "indications"),
        ({"allergic_agents": "lidocaine"}, "allergic_agents"),
        ({"allergic_agents": {" "}}, "allergic_agents"),
        ({"available_agents": frozenset()}, "available_agents"),
    ],
)
def test_it_rejects_bad_answers_naming_the_field(changes, field):
    with pytest.raises(ValueError, match=field):
        answers(**changes)


def test_it_rejects_a_negative_conservative_care_threshold():
    with pytest.raises(ValueError, match="min_conservative_weeks"):
        screen(answers(), min_conservative_weeks=-1)


def test_it_accepts_indications_as_plain_strings():
    assert answers(indications={"tension_type_headache"}).indications == {
        Indication.TENSION_TYPE_HEADACHE
    }


# -- Red-flag question sets ---------------------------------------------------


def test_it_exposes_neck_and_back_red_flag_sets_with_unique_ids_and_sources():
    assert set(RED_FLAG_SETS) == {"neck", "back"}
    ids = [q.id for qs in RED_FLAG_SETS.values() for q in qs]
    assert len(ids) == len(set(ids))
    for question in (*NECK_RED_FLAGS, *BACK_RED_FLAGS):
        assert question.text.endswith("?")
        assert set(question.source.split(", ")) <= {"S25", "S26", "S27"}


def test_it_covers_every_red_flag_with_at_least_one_question():
    neck = {q.flag for q in NECK_RED_FLAGS}
    back = {q.flag for q in BACK_RED_FLAGS}
    assert neck | back == set(RedFlag)
    assert {RedFlag.MYELOPATHY, RedFlag.VASCULAR_NECK} <= neck  # S26
    assert RedFlag.CAUDA_EQUINA in back  # S25


def test_it_folds_all_no_answers_into_no_red_flags():
    responses = {q.id: False for qs in RED_FLAG_SETS.values() for q in qs}
    assert fold_red_flags(responses) == dict.fromkeys(RED_FLAG_FIELDS, False)


def test_it_folds_one_yes_into_its_red_flag():
    responses = {q.id: False for qs in RED_FLAG_SETS.values() for q in qs}
    responses["back.saddle_numbness"] = True
    folded = fold_red_flags(responses)
    assert folded["cauda_equina_signs"] is True
    assert screen(answers(**folded)).status == Status.NOT_ELIGIBLE


def test_it_leaves_unasked_red_flags_unknown():
    folded = fold_red_flags({q.id: False for q in NECK_RED_FLAGS})
    assert folded["cauda_equina_signs"] is None  # only in the back set
    assert folded["myelopathy_signs"] is False
    assert screen(answers(**folded)).missing == ("cauda_equina_signs",)


def test_it_keeps_a_red_flag_unknown_while_one_of_its_questions_is_unanswered():
    folded = fold_red_flags({"neck.gait_or_hands": False, "neck.bladder_bowel": None})
    assert folded["myelopathy_signs"] is None


def test_it_rejects_an_unknown_red_flag_question():
    with pytest.raises(ValueError, match="responses"):
        fold_red_flags({"neck.headache": True})


# -- Properties -----------------------------------------------------------------

AGENTS = ["lidocaine", "bupivacaine", "ropivacaine"]
maybe = st.sampled_from([None, True, False])
agent_sets = st.frozensets(st.sampled_from(AGENTS))
BOOL_FIELDS = list(BOOLEAN_ANSWERS)


@st.composite
def any_answers(draw):
    values = {name: draw(maybe) for name in BOOL_FIELDS}
    available = draw(st.none() | agent_sets.filter(bool))
    return ScreeningAnswers(
        **values,
        allergic_agents=draw(st.none() | agent_sets),
        available_agents=available,
        conservative_care_weeks=draw(st.none() | st.integers(0, 30)),
        indications=draw(st.none() | st.frozensets(st.sampled_from(list(Indication)))),
    )


def excluded(a: ScreeningAnswers) -> bool:
    # An allergy rules out its whole class (issue 11): bupivacaine rules out lidocaine.
    # Which agents a class allergy rules out is dosing.agents_ruled_out, tested on its own.
    ruled_out = dosing.agents_ruled_out(a.available_agents or (), allergens=a.allergic_agents or ())
    allergic_to_all = bool(a.available_agents) and set(a.available_agents) <= set(ruled_out)
    return (
        any(getattr(a, name) is True for name in RED_FLAG_FIELDS)
        or a.site_infection_or_broken_skin is True
        or a.acute_muscle_trauma_at_site is True
        or a.indications == frozenset()
        or allergic_to_all
    )


@settings(max_examples=100, deadline=None)
@given(any_answers())
def test_it_is_never_eligible_when_an_exclusion_is_true(a):
    verdict = screen(a)
    assert (verdict.status == Status.NOT_ELIGIBLE) == excluded(a)
    assert verdict.status != Status.ELIGIBLE or not excluded(a)


FILL = {
    **dict.fromkeys(BOOL_FIELDS, st.booleans()),
    "allergic_agents": agent_sets,
    "available_agents": agent_sets.filter(bool),
    "conservative_care_weeks": st.integers(0, 30),
    "indications": st.frozensets(st.sampled_from(list(Indication))),
}


@settings(max_examples=100, deadline=None)
@given(any_answers(), st.data())
def test_it_never_turns_not_eligible_into_eligible_when_an_answer_is_filled_in(a, data):
    missing = [name for name in FILL if getattr(a, name) is None]
    if screen(a).status != Status.NOT_ELIGIBLE or not missing:
        return
    name = data.draw(st.sampled_from(missing))
    filled = dataclasses.replace(a, **{name: data.draw(FILL[name])})
    assert screen(filled).status == Status.NOT_ELIGIBLE


@settings(max_examples=100, deadline=None)
@given(any_answers())
def test_it_is_pending_exactly_when_answers_are_missing_and_nothing_excludes(a):
    verdict = screen(a)
    if not excluded(a):
        assert (verdict.status == Status.PENDING) == bool(verdict.missing)
