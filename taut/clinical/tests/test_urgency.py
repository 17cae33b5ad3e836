"""Urgency tiers: taut.clinical.urgency. Sources: clinical.md §2c (red flags [S25], [S26],
[S27]), §4 (LAST [S29b], [S32]), §3 (pneumothorax [S9], [S14]; infection [S13]); the tier
each gets is clinic policy (issue 11 clinical review)."""

import pytest

from taut.clinical import urgency
from taut.clinical.aftercare import Sign, reading_grade
from taut.clinical.screening import RED_FLAG_SETS
from taut.clinical.urgency import Tier

MAX_GRADE = 7
E, D, N, R = Tier.EMERGENCY, Tier.SAME_DAY, Tier.NEXT_WORKING_DAY, Tier.ROUTINE


@pytest.mark.parametrize(
    ("code", "tier", "source"),
    [
        # The four: told "call the clinic today" before; each an emergency now.
        ("back.saddle_numbness", E, "[S25]"),  # saddle anaesthesia: cauda equina
        ("back.bladder_bowel", E, "[S25]"),  # new bladder dysfunction: cauda equina
        ("neck.bladder_bowel", E, "[S26]"),  # myelopathy: urgent neurosurgery
        ("neck.vascular", E, "[S26]"),  # tearing neck pain, TIA: dissection, urgent
        # Told "call us at once" before: early signs of LAST at home.
        ("last_symptoms", E, "[S29b]"),
        ("breathing", E, "[S14]"),  # pneumothorax after trapezius TPI
        ("chest_pain", E, "[S9]"),
        ("allergy_severe", E, "[S9]"),
        # Same day: today's "call the clinic today", kept.
        ("neck.gait_or_hands", D, "[S26]"),
        ("neck.long_tract_signs", D, "[S26]"),
        ("neck.progressive_deficit", D, "[S26]"),
        ("back.progressive_deficit", D, "[S25]"),
        ("neck.fever", D, "[S26]"),
        ("back.fever", D, "[S25]"),
        ("neck.cancer_or_weight_loss", D, "[S27]"),
        ("back.cancer_or_weight_loss", D, "[S25]"),
        ("neck.trauma_or_surgery", D, "[S27]"),
        ("back.trauma", D, "[S25]"),
        ("infection", D, "[S13]"),
        ("blood_sugar", D, "[S22]"),  # steroid raises blood glucose
        ("allergy_mild", D, "[S9]"),
        ("numbness_persists", D, "[S13]"),
        ("bleeding", D, "[S8b]"),
        # Next working day: the session may have to move.
        ("site_infection_or_broken_skin", N, "[S9]"),
    ],
)
def test_it_rates_each_reported_thing(code, tier, source):
    rating = urgency.RATINGS[code]
    assert rating.tier is tier
    assert source in rating.source
    assert "clinic policy" in rating.source and rating.status == "unverified"
    assert rating.why.endswith(".")


def test_it_rates_every_red_flag_question_and_every_check_in_warning():
    asked = {q.id for group in RED_FLAG_SETS.values() for q in group} | {str(s) for s in Sign}
    assert asked <= set(urgency.RATINGS)


@pytest.mark.parametrize(
    ("reported", "tier", "first"),
    [
        ([], R, None),
        (["site_infection_or_broken_skin"], N, "site_infection_or_broken_skin"),
        (["neck.fever"], D, "neck.fever"),
        (["neck.fever", "back.saddle_numbness"], E, "back.saddle_numbness"),
        (["infection", "last_symptoms"], E, "last_symptoms"),
        (["infection", "infection"], D, "infection"),
        (["site_infection_or_broken_skin", "back.trauma"], D, "back.trauma"),
    ],
)
def test_it_takes_the_most_urgent_tier_and_puts_it_first(reported, tier, first):
    result = urgency.assess(reported)
    assert result.tier is tier
    assert result.emergency is (tier is E)
    assert (result.ratings[0].code if result.ratings else None) == first
    assert len(result.ratings) == len(set(reported))
    ranks = [r.tier.rank for r in result.ratings]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize(
    ("reported", "message"),
    [
        (["fever"], r"^reported\[0\]: no urgency rating for 'fever'"),
        (["infection", None], r"^reported\[1\]: no urgency rating for None"),
        ("infection", r"^reported: expected a list"),
    ],
)
def test_it_refuses_what_it_cannot_rate(reported, message):
    with pytest.raises(ValueError, match=message):
        urgency.assess(reported)


@pytest.mark.parametrize(
    ("tier", "severity"),
    [(E, "urgent"), (D, "soon"), (N, "soon"), (R, None)],
)
def test_it_raises_an_urgent_alert_for_an_emergency(tier, severity):
    assert urgency.alert_severity(tier) == severity


@pytest.mark.parametrize(
    ("tier", "number", "first"),
    [
        (E, "911", "Call 911 now. This could be an emergency."),
        (E, " 112 ", "Call 112 now. This could be an emergency."),  # the clinic's own number
        (D, "911", "Please call Riverside today at 555-0100."),
        (N, "911", "Please call Riverside on the next day it is open at 555-0100."),
        (R, "911", "We will talk about this at your visit."),
    ],
)
def test_it_words_each_tier(tier, number, first):
    words = urgency.instruction(
        tier, clinic_name="Riverside", clinic_phone="555-0100", emergency_number=number
    )
    assert words[0] == first


def test_it_refuses_a_clinic_without_an_emergency_number():
    with pytest.raises(ValueError, match=r"^emergency_number: "):
        urgency.instruction(E, emergency_number=" ")


def test_it_points_to_the_visit_papers_without_a_clinic_number():
    assert urgency.instruction(D) == (
        "Please call the clinic today. The phone number is on your visit papers.",
    )


def test_it_puts_the_emergency_instruction_first_in_the_message():
    result = urgency.message(
        urgency.assess(["neck.fever", "neck.vascular"]),
        clinic_name="Riverside",
        clinic_phone="555-0100",
    )
    assert result.emergency and result.heading == "Get help now"
    assert result.lines[0] == "Call 911 now. This could be an emergency."
    assert "call the clinic today" not in " ".join(result.lines).lower()
    assert result.lines[-1] == "Once you have help, please also call Riverside at 555-0100."


def test_it_has_no_message_for_a_routine_answer():
    assert urgency.message(urgency.assess([])) is None


@pytest.mark.parametrize("tier", [E, D, N])
@pytest.mark.parametrize(("name", "phone"), [("", ""), ("Riverside Pain Clinic", "555-0100")])
def test_it_writes_every_message_at_a_reading_age_of_about_12(tier, name, phone):
    code = next(code for code, r in urgency.RATINGS.items() if r.tier is tier)
    result = urgency.message(urgency.assess([code]), clinic_name=name, clinic_phone=phone)
    assert result.tier is tier
    for text in result.texts:
        assert reading_grade(text) <= MAX_GRADE, text


@pytest.mark.parametrize(
    ("red_flags", "site_infection", "codes"),
    [
        ({}, None, ()),
        ({"neck.fever": False, "back.trauma": None}, False, ()),  # "not sure" reports nothing
        ({"neck.fever": True, "back.trauma": None}, None, ("neck.fever",)),
        ({"back.saddle_numbness": True}, True,
         ("back.saddle_numbness", "site_infection_or_broken_skin")),
    ],
)  # fmt: skip
def test_it_reads_what_an_intake_reports(red_flags, site_infection, codes):
    assert urgency.intake_reports(red_flags, site_infection=site_infection) == codes


@pytest.mark.parametrize(
    ("red_flags", "message"),
    [
        (None, r"^red_flags: expected a mapping"),
        ({"neck.fever": "yes"}, r"^red_flags\['neck.fever'\]: expected True, False or None"),
    ],
)
def test_it_refuses_bad_intake_answers(red_flags, message):
    with pytest.raises(ValueError, match=message):
        urgency.intake_reports(red_flags)


@pytest.mark.parametrize(
    "code", ["back.saddle_numbness", "neck.fever", "site_infection_or_broken_skin"]
)
@pytest.mark.parametrize("phone", ["555-0100", ""])
def test_each_message_keeps_its_sentences_as_templates_and_values(code, phone):
    """A page in the patient's language translates each template, then fills in the same
    values: filled in here, they are the English lines."""
    found = urgency.message(urgency.assess([code]), clinic_name="Clínica Sur", clinic_phone=phone)
    assert found is not None
    assert tuple(s.text for s in found.said) == found.lines
    assert all("Clínica Sur" not in s.template and "555" not in s.template for s in found.said)
    assert any(dict(s.values).get("name") == "Clínica Sur" for s in found.said)
