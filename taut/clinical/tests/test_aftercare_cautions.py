"""What a session and a patient add to the aftercare handout (issue 11, "What patients
read"): taut.clinical.aftercare.instructions with steroid, blood thinner and diabetes.

Sources: clinical.md §2b, §3 ([S9], [S22] steroid; [S8b], [S9], [S24] bleeding; [S13]
numbness), §8 ([S12], [S15], [S20], [S49] relief and repeats); the tiers: urgency.RATINGS.
"""

import itertools

import pytest

from taut.clinical import urgency
from taut.clinical.aftercare import SectionKey, instructions, reading_grade

MAX_GRADE = 7
ARM = ("deltoid", "right")
NECK = ("trapezius_upper", "left")


def text(result, key):
    section = result.section(key)
    return "" if section is None else " ".join(line.text for line in section.lines)


def test_it_says_relief_often_fades_and_repeats_depend_on_how_long_it_lasts():
    expect = text(instructions([ARM]), SectionKey.EXPECT)
    assert "may fade" in expect  # [S15], [S20]
    assert "more than one session" in expect  # [S12]
    assert "depends on how long the relief lasts" in expect  # [S49]


@pytest.mark.parametrize(("agents", "steroid", "warned"), [
    (["lidocaine"], False, True),
    ([], True, True),  # a steroid alone is a drug too
    ([], False, False),  # dry needling: no drug, no allergy warning
])  # fmt: skip
def test_it_lists_the_signs_of_an_allergic_reaction_when_a_drug_was_given(agents, steroid, warned):
    result = instructions([ARM], agents=agents, steroid=steroid)
    assert ("throat swell" in text(result, SectionKey.EMERGENCY)) is warned  # call 911
    assert ("rash, hives" in text(result, SectionKey.CALL)) is warned  # call the clinic
    if warned:
        assert result.sections[0].key == SectionKey.EMERGENCY  # the emergency first


@pytest.mark.parametrize(("agents", "numb"), [(["bupivacaine"], True), ([], False)])
def test_it_says_how_long_numbness_lasts_and_what_not_to_do_while_numb(agents, numb):
    result = instructions([ARM], agents=agents)
    assert ("go away in a few hours" in text(result, SectionKey.EXPECT)) is numb  # [S13]
    do = text(result, SectionKey.DO)
    assert ("warm or cold pack on skin that is still numb" in do) is numb
    assert ("do not drive" in do) is numb
    assert ("still numb or weak the next day" in text(result, SectionKey.CALL)) is numb


@pytest.mark.parametrize("blood_thinner", [True, False])
def test_it_gives_bruising_and_bleeding_advice_to_a_patient_on_a_blood_thinner(blood_thinner):
    result = instructions([ARM], blood_thinner=blood_thinner)
    assert ("bruise more" in text(result, SectionKey.EXPECT)) is blood_thinner  # [S8b], [S9]
    assert ("press on it firmly for 10 minutes" in text(result, SectionKey.DO)) is blood_thinner
    assert ("Keep taking your blood thinner" in text(result, SectionKey.DO)) is blood_thinner
    assert ("still bleeds" in text(result, SectionKey.CALL)) is blood_thinner


@pytest.mark.parametrize(("steroid", "diabetes", "effects", "sugar_advice"), [
    (True, False, True, False),
    (True, True, True, True),
    (False, True, False, False),  # diabetes without a steroid: no change
    (False, False, False, False),
])  # fmt: skip
def test_it_names_steroid_effects_and_blood_sugar_advice_with_diabetes(
    steroid, diabetes, effects, sugar_advice
):
    result = instructions([ARM], agents=["lidocaine"], steroid=steroid, diabetes=diabetes)
    expect = text(result, SectionKey.EXPECT)
    for effect in ("steroid", "look red", "thin or lighter in color", "blood sugar", "periods"):
        assert (effect in expect) is effects  # [S9], [S22]; flushing and periods unverified
    assert ("Check your blood sugar more often" in text(result, SectionKey.DO)) is sugar_advice
    assert ("blood sugar stays higher" in text(result, SectionKey.CALL)) is sugar_advice


def test_it_uses_the_clinics_emergency_number_everywhere():
    result = instructions([NECK], agents=["lidocaine"], steroid=True, emergency_number="112")
    joined = " ".join(result.texts)
    assert "112" in joined and "911" not in joined and "ambulance" not in joined
    contact = text(result, SectionKey.CONTACT)
    assert contact.endswith("call 112.")


def test_it_places_each_warning_by_its_urgency_tier():
    result = instructions(
        [NECK], agents=["lidocaine"], steroid=True, blood_thinner=True, diabetes=True
    )
    emergency = text(result, SectionKey.EMERGENCY)
    call = text(result, SectionKey.CALL)
    assert urgency.RATINGS["allergy_severe"].tier is urgency.Tier.EMERGENCY
    assert "throat swell" in emergency and "throat swell" not in call
    for same_day in ("rash, hives", "still numb", "still bleeds", "blood sugar stays"):
        assert same_day in call and same_day not in emergency


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steroid": "yes"}, r"^steroid: expected True or False"),
        ({"blood_thinner": None}, r"^blood_thinner: expected True or False"),
        ({"diabetes": 1}, r"^diabetes: expected True or False"),
        ({"emergency_number": ""}, r"^emergency_number: the clinic has no emergency number"),
        ({"emergency_number": 911}, r"^emergency_number: expected text"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(kwargs, message):
    with pytest.raises(ValueError, match=message):
        instructions([ARM], **kwargs)


FLAGS = list(itertools.product([False, True], repeat=3))


@pytest.mark.parametrize(("steroid", "blood_thinner", "diabetes"), FLAGS)
@pytest.mark.parametrize("agents", [[], ["lidocaine"]])
@pytest.mark.parametrize("sites", [[ARM], [NECK]])
def test_it_writes_every_line_at_a_reading_age_of_about_12(
    steroid, blood_thinner, diabetes, agents, sites
):
    result = instructions(
        sites,
        agents=agents,
        steroid=steroid,
        blood_thinner=blood_thinner,
        diabetes=diabetes,
        clinic_name="Riverside Pain Clinic",
        clinic_phone="555-0100",
    )
    for line in result.texts:
        assert reading_grade(line) <= MAX_GRADE, line
    for section in result.sections:
        for line in section.lines:
            assert line.source and line.status in {"verified", "secondary", "unverified"}


def test_it_takes_each_sections_warnings_from_the_one_urgency_table(monkeypatch):
    """Rate infection an emergency, and its lines move to "Get help now": the handout has
    no tier of its own (issue 11: every message's tier from one rule)."""
    before = instructions([ARM])
    assert "leaks pus" in text(before, SectionKey.CALL)
    assert before.section(SectionKey.EMERGENCY) is None
    infection = urgency.RATINGS["infection"]
    monkeypatch.setitem(
        urgency.RATINGS,
        "infection",
        urgency.Rating(infection.code, urgency.Tier.EMERGENCY, infection.why, infection.source),
    )
    after = instructions([ARM])
    assert "leaks pus" in text(after, SectionKey.EMERGENCY)
    assert after.sections[0].key == SectionKey.EMERGENCY
