"""What a patient reads after a warning answer: taut.clinical.aftercare.advice_after_warnings.

Sources: clinical.md §8 ([S9], [S14] pneumothorax; [S29b] LAST); whom to call is clinic policy.
"""

import itertools

import pytest

from taut.clinical.aftercare import Sign, advice_after_warnings, reading_grade

MAX_GRADE = 7  # US grade 7 ≈ age 12–13, as the handout
ALL_SIGNS = [str(sign) for sign in Sign]
CLINICS = [("", ""), ("Riverside Pain Clinic", "555-0100"), ("Dr Lee", "+1 555 0100")]


def test_it_says_nothing_when_no_warning_was_answered_yes():
    assert advice_after_warnings([]) is None


@pytest.mark.parametrize("sign", ALL_SIGNS)
def test_it_tells_the_patient_to_call_the_clinic_now_with_its_number(sign):
    advice = advice_after_warnings([sign], clinic_name="Riverside", clinic_phone="555-0100")
    assert advice.call[0].text == "Please call Riverside now at 555-0100."
    assert any("Do not wait" in line.text for line in advice.call)


def test_it_points_to_the_visit_papers_when_the_clinic_has_no_number():
    advice = advice_after_warnings(["infection"])
    assert advice.call[0].text == (
        "Please call the clinic now. The phone number is on your visit papers."
    )


@pytest.mark.parametrize(
    ("signs", "ambulance"),
    [
        (["breathing"], True),  # possible pneumothorax [S9], [S14]
        (["chest_pain"], True),
        (["infection"], False),  # skin infection [S13]: the clinic, not an ambulance
        (["last_symptoms"], True),  # a fit or passing out needs an ambulance [S29b]
        (["infection", "chest_pain"], True),
    ],
)
def test_it_adds_the_emergency_lines_only_for_chest_breathing_or_toxicity(signs, ambulance):
    advice = advice_after_warnings(signs, clinic_phone="555-0100")
    assert bool(advice.emergency) is ambulance
    assert (advice.tier == "emergency") is ambulance  # urgency.RATINGS
    assert advice.emergency[0].text.startswith("Call 911 now") if ambulance else True
    assert "ambulance" not in " ".join(advice.texts)  # one US voice: "call 911"


def test_it_puts_the_emergency_before_the_call_to_the_clinic():
    advice = advice_after_warnings(
        ["infection", "chest_pain"], clinic_phone="555-0100", emergency_number="112"
    )
    assert advice.texts[0].startswith("Call 112 now")  # the clinic's emergency number
    assert advice.texts[1] == "If you are short of breath or have chest pain now, call 112."
    assert advice.texts.index("Please call the clinic now at 555-0100.") > 1


def test_it_tells_a_patient_with_signs_of_toxicity_to_call_911_not_the_clinic_first():
    """Before: "call us at once". LAST is an emergency [S29b], [S32]."""
    advice = advice_after_warnings(["last_symptoms"], clinic_phone="555-0100")
    assert advice.texts[0] == (
        "Call 911 now if you still have any of these signs. This could be an emergency."
    )
    assert "someone should call 911" in advice.texts[1]


def test_it_gives_every_line_a_source_and_status():
    advice = advice_after_warnings(ALL_SIGNS)
    for line in (*advice.emergency, *advice.call):
        assert line.source and line.status in {"verified", "secondary", "unverified"}


@pytest.mark.parametrize(("name", "phone"), CLINICS)
@pytest.mark.parametrize("count", [1, 2, 4])
def test_it_writes_every_line_at_a_reading_age_of_about_12(name, phone, count):
    for signs in itertools.combinations(ALL_SIGNS, count):
        advice = advice_after_warnings(signs, clinic_name=name, clinic_phone=phone)
        for text in advice.texts:
            assert reading_grade(text) <= MAX_GRADE, text


@pytest.mark.parametrize(
    ("signs", "message"),
    [
        ("chest_pain", "signs: expected a list"),
        (["fever"], "signs[0]: unknown warning sign 'fever'"),
        ([None], "signs[0]: unknown warning sign None"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(signs, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        advice_after_warnings(signs)
