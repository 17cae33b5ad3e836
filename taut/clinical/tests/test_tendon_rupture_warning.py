"""The check-in's tendon rupture question (issue 15): asked only when a steroid was given at a
tendon site (origin, insertion or sheath), up to week 2, and a "yes" raises a same-day alert
naming the tendon. Source: tendon rupture after a steroid, general knowledge (not in
clinical.md; the handout's same-day call line); the weeks asked and the tier are clinic
policy. Status: unverified. And the check-in pages' reminder of the handout's site advice."""

import pytest

from taut.clinical import atlas, urgency
from taut.clinical.aftercare import (
    TENDON_RUPTURE_UNTIL_DAY,
    Severity,
    Sign,
    alerts,
    checkin_reminder,
    reading_grade,
    steroid_tendon_sites,
    warning_signs,
)
from taut.clinical.checkins import Kind, questions
from taut.clinical.schedule import Checkpoint

ELBOW = ("common_extensor_origin", "left")  # tendon origin
SHOULDER = ("biceps_long_head_tendon", "right")  # tendon sheath
HIP = ("gluteal_tendon_insertions", "left")  # tendon insertion
LIGAMENT = ("iliolumbar_ligament", "right")
FASCIA = ("plantar_fascia", "left")  # aponeurosis: not a tendon
MUSCLE = ("trapezius_upper", "left")


def asked(sites, steroid_sites, checkpoint="day_1") -> bool:
    found = warning_signs(sites=sites, checkpoint=checkpoint, steroid_sites=steroid_sites)
    return Sign.TENDON_RUPTURE in {w.sign for w in found}


@pytest.mark.parametrize(
    ("sites", "steroid_sites", "expected"),
    [
        ([ELBOW], ["common_extensor_origin"], True),  # steroid at a tendon origin
        ([SHOULDER], ["biceps_long_head_tendon"], True),  # at a tendon sheath
        ([HIP], ["gluteal_tendon_insertions"], True),  # at a tendon insertion
        ([MUSCLE, ELBOW], ["common_extensor_origin"], True),  # with a muscle
        ([ELBOW], [], False),  # a tendon without a steroid
        ([ELBOW, MUSCLE], ["trapezius_upper"], False),  # the steroid went into the muscle
        ([LIGAMENT], ["iliolumbar_ligament"], False),  # ligament only
        ([FASCIA], ["plantar_fascia"], False),  # an aponeurosis is not a tendon here
        ([MUSCLE], ["trapezius_upper"], False),  # muscle only
        ([MUSCLE], [], False),  # no steroid
    ],
)
def test_it_asks_about_a_rupture_only_after_a_steroid_at_a_tendon(sites, steroid_sites, expected):
    assert asked(sites, steroid_sites) is expected


@pytest.mark.parametrize(
    ("checkpoint", "expected"),
    [
        ("day_1", True),
        ("day_3", True),
        ("week_1", True),
        ("week_2", True),
        ("week_6", False),  # the window is over
        (Checkpoint("day_15", 15, "Day 15"), False),  # a clinic's own plan: by its day
        (Checkpoint("day_14", TENDON_RUPTURE_UNTIL_DAY, "Day 14"), True),
    ],
)
def test_it_stops_asking_after_two_weeks(checkpoint, expected):
    assert asked([ELBOW], ["common_extensor_origin"], checkpoint) is expected


def test_the_checkin_asks_it_as_a_yes_no_warning():
    items = questions(
        "week_1", sites=[ELBOW], has_goals=False, steroid_sites=["common_extensor_origin"]
    )
    question = next(q for q in items if q.id == "tendon_rupture")
    assert question.kind is Kind.WARNING and question.status == "unverified"
    assert [c.value for c in question.choices] == ["yes", "no"]
    assert "snap" in question.prompt and reading_grade(question.prompt) <= 7


def test_a_yes_raises_a_same_day_alert_naming_the_tendon():
    rating = urgency.RATINGS["tendon_rupture"]
    assert rating.tier is urgency.Tier.SAME_DAY and rating.status == "unverified"
    (alert,) = alerts(
        {"tendon_rupture": True, "infection": False},
        sites=[MUSCLE, ELBOW],
        checkpoint="week_1",
        steroid_sites=["common_extensor_origin", "trapezius_upper"],
    )
    assert (alert.code, alert.severity, alert.status) == (
        "tendon_rupture",
        Severity.SOON,
        "unverified",
    )
    assert alert.text.startswith("Week 1 check-in: ")
    assert "possible tendon rupture" in alert.text
    name = atlas.STRUCTURES["common_extensor_origin"].name
    assert f"Tendon sites given a steroid: {name} (left)." in alert.text
    assert "general knowledge" in alert.source


def test_a_yes_is_never_dropped_even_without_a_recorded_tendon():
    (alert,) = alerts({"tendon_rupture": True}, sites=[MUSCLE], checkpoint="week_6")
    assert alert.text.endswith("No tendon site given a steroid was recorded.")


@pytest.mark.parametrize(
    ("steroid_sites", "field"),
    [
        ("common_extensor_origin", "steroid_sites"),  # a bare string, not a list
        (["not_a_site"], "steroid_sites[0]"),
        ([ELBOW], "steroid_sites[0]"),  # a (site, side) pair, not an id
    ],
)
def test_it_names_the_field_of_bad_steroid_sites(steroid_sites, field):
    with pytest.raises(ValueError, match=rf"^{field.replace('[', r'\[')}: "):
        steroid_tendon_sites(steroid_sites)


@pytest.mark.parametrize(
    ("site_ids", "steroid", "names", "advice"),
    [
        (["trapezius_upper"], True, None, None),  # muscle only: nothing new
        (
            ["trapezius_upper", "common_extensor_origin"],
            True,
            ["the tendon on the outer side of your elbow"],
            ["go easy on it for about two weeks"],
        ),
        (
            ["patellar_tendon"],
            False,
            ["the tendon below your kneecap"],
            ["Rest the", "run or jump"],
        ),
    ],
)
def test_the_checkin_reminder_repeats_the_handout_site_advice(site_ids, steroid, names, advice):
    found = checkin_reminder(site_ids, steroid=steroid)
    if names is None:
        assert found is None
        return
    assert found is not None
    assert [line.text for line in found.names] == names
    texts = [line.text for line in found.do]
    assert len(texts) == len(advice)
    assert all(words in text for words, text in zip(advice, texts, strict=True))
    assert all(line.source and line.status == "unverified" for line in found.do)
