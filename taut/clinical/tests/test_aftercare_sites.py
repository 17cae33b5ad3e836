"""Ligament and tendon sites in the aftercare handout (issue 15): the places in plain
words, rest, no running after a load-bearing site, a call for a snap after a steroid at a
tendon; a session of structures only drops the muscle lines. Sources: [S75] (injection as
part of an overall plan); the advice itself is general knowledge (unverified), as each
line's status says.
"""

import pytest

from taut.clinical import atlas
from taut.clinical.aftercare import instructions, reading_grade
from taut.clinical.aftercare.site_advice import LOAD_BEARING
from taut.clinical.aftercare.site_words import MUSCLE, PLAIN_NAMES, plain_site_name

MAX_GRADE = 7
L, R, M = "left", "right", "midline"
STRETCH = "Stretch the treated muscles each day. Go slowly, as far as they will go."
REST = "Rest the tendon or ligament we treated for a few days."
RUN = "Do not run or jump on that leg for a few days."
SNAP = "Call us the same day if you feel a snap"
STEROID_REST = "If a tendon or ligament had a steroid shot, go easy on it"


def texts(result, key):
    section = result.section(key)
    return [] if section is None else [line.text for line in section.lines]


def has(lines, start):
    return any(line.startswith(start) for line in lines)


def test_every_structure_has_plain_words_and_muscles_keep_the_handouts():
    assert set(PLAIN_NAMES) == set(atlas.STRUCTURES)
    assert plain_site_name("trapezius_upper") == MUSCLE
    assert plain_site_name("achilles_insertion") == PLAIN_NAMES["achilles_insertion"]
    with pytest.raises(ValueError, match=r"^site_id"):
        plain_site_name("nope")


def test_load_bearing_sites_are_atlas_structures():
    assert set(LOAD_BEARING) <= set(atlas.STRUCTURES)


CASES = [
    # (sites, steroid, named, rest line, no running, snap call, muscle lines)
    ([("trapezius_upper", L)], False, [], None, False, False, True),
    ([("iliolumbar_ligament", L)], False, ["iliolumbar_ligament"], REST, False, False, False),
    (
        [("iliolumbar_ligament", L)],
        True,
        ["iliolumbar_ligament"],
        STEROID_REST,
        False,
        False,
        False,
    ),
    ([("achilles_insertion", R)], False, ["achilles_insertion"], REST, True, False, False),
    ([("achilles_insertion", R)], True, ["achilles_insertion"], STEROID_REST, True, True, False),
    (
        [("gluteus_medius", L), ("lumbar_supraspinous_ligament", M), ("common_extensor_origin", R)],
        True,
        ["lumbar_supraspinous_ligament", "common_extensor_origin"],
        STEROID_REST,
        False,
        True,
        True,
    ),
    (
        [("plantar_fascia", L), ("plantar_fascia", R)],
        False,
        ["plantar_fascia"],
        REST,
        True,
        False,
        False,
    ),
]


@pytest.mark.parametrize(("sites", "steroid", "named", "rest", "run", "snap", "muscle"), CASES)
def test_it_adds_the_site_advice(sites, steroid, named, rest, run, snap, muscle):
    result = instructions(sites, steroid=steroid)
    expect, do, call = texts(result, "expect"), texts(result, "do"), texts(result, "call")
    for site in named:
        assert PLAIN_NAMES[site] in expect
    assert sum(PLAIN_NAMES[s] in expect for s in atlas.STRUCTURES) == len(named)
    assert (rest is not None and has(do, rest)) or (rest is None and not has(do, REST))
    assert has(do, RUN) is run
    assert has(call, SNAP) is snap
    assert (STRETCH in do) is muscle
    assert has(expect, "Your muscles may be sore") is muscle


def test_every_structure_line_has_a_source_and_status():
    result = instructions([("achilles_insertion", R), ("trapezius_upper", L)], steroid=True)
    for section in result.sections:
        for line in section.lines:
            assert line.source and line.status in {"verified", "secondary", "unverified"}


@pytest.mark.parametrize("site", sorted(atlas.STRUCTURES))
@pytest.mark.parametrize("steroid", [False, True])
def test_it_writes_the_site_lines_at_a_reading_age_of_about_12(site, steroid):
    side = M if atlas.STRUCTURES[site].midline else L
    result = instructions([(site, side)], agents=["lidocaine"], steroid=steroid)
    for text in result.texts:
        assert reading_grade(text) <= MAX_GRADE, text


def test_it_refuses_a_midline_side_for_a_paired_site():
    with pytest.raises(ValueError, match=r"^sites\[0\]\.side"):
        instructions([("achilles_insertion", M)])


@pytest.mark.parametrize(
    ("steroid_sites", "rest", "snap"),
    [
        # The steroid went into the muscle only: the tendon gets the plain rest line and no
        # call for a snap (as the check-ins, which ask it only after a steroid at a tendon).
        (["trapezius_upper"], REST, False),
        (["achilles_insertion"], STEROID_REST, True),
        (None, STEROID_REST, True),  # not known which site: every site counts
    ],
)
def test_it_gives_the_steroid_advice_only_where_the_steroid_went(steroid_sites, rest, snap):
    sites = [("trapezius_upper", L), ("achilles_insertion", R)]
    result = instructions(sites, steroid=True, steroid_sites=steroid_sites)
    do, call = texts(result, "do"), texts(result, "call")
    assert has(do, rest) and not has(do, STEROID_REST if rest == REST else REST)
    assert has(do, RUN)
    assert has(call, SNAP) is snap


def test_it_refuses_an_unknown_steroid_site():
    with pytest.raises(ValueError, match=r"^steroid_sites\[0\]"):
        instructions([("achilles_insertion", R)], steroid=True, steroid_sites=["nope"])
