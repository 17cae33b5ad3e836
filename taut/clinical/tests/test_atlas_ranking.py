"""Pain drawing -> muscles to examine (``taut.clinical.atlas.rank``).

Each ranking case cites the atlas entries (shared/reference/referral_atlas.md, Travell & Simons
via secondary sources) that make it hold; the weights are Taut's (docs/clinical-rules.md).
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.clinical import atlas
from taut.clinical.atlas import REGIONS, Mark, Side, rank


def top(marks, n):
    return [(s.muscle_id, s.side) for s in rank(marks, limit=n)]


def muscles(marks, n):
    """The first n muscles ranked (ligaments and tendons, ranked among them, left out)."""
    return [s.muscle_id for s in rank(marks) if s.muscle_id in atlas.MUSCLES][:n]


def suggestion(marks, muscle_id, side):
    return next(s for s in rank(marks) if (s.muscle_id, s.side) == (muscle_id, side))


# Ranking cases


def test_it_suggests_temporalis_and_upper_trapezius_for_temple_pain():
    # temporalis: TrP and essential zone in the temple; trapezius_upper: temple essential.
    found = top([("head_temporal", "left", 7)], 5)
    assert ("temporalis", Side.LEFT) in found
    assert ("trapezius_upper", Side.LEFT) in found
    assert found[0] == ("temporalis", Side.LEFT)


def test_it_suggests_forearm_muscles_for_lateral_elbow_pain():
    # supinator, extensor_carpi_radialis (ECRL+ECRB) and brachioradialis all have the
    # lateral elbow as an essential zone; anconeus also has its TrP there.
    found = muscles([("elbow_lateral", "right", 6)], 5)
    assert {"supinator", "extensor_carpi_radialis", "brachioradialis"} <= set(found)
    assert found[0] == "anconeus"


def test_it_suggests_soleus_for_heel_pain():
    # soleus: heel and Achilles essential. It ties with abductor_hallucis (heel essential)
    # below quadratus_plantae, whose TrP lies in the heel as well.
    assert "soleus" in muscles([("heel", "left")], 3)


def test_it_suggests_quadratus_lumborum_for_low_back_sacroiliac_and_outer_hip_pain():
    # quadratus_lumborum: low back, posterior iliac crest, sacroiliac, lower buttock and
    # outer hip are all essential, and its TrPs lie in the low back.
    marks = [("low_back", "left", 6), ("sacroiliac", "left", 6), ("hip_lateral", "left", 6)]
    assert top(marks, 3)[0] == ("quadratus_lumborum", Side.LEFT)


def test_it_scores_the_worked_example_of_the_docs():
    # docs/clinical-rules.md: QL = (1.3 + 1.0 + 1.0) / 3; gluteus medius = (1 + 1 + 0.5) / 3.
    marks = [("low_back", "left"), ("sacroiliac", "left"), ("hip_lateral", "left")]
    assert suggestion(marks, "quadratus_lumborum", Side.LEFT).score == 1.1
    assert suggestion(marks, "gluteus_medius", Side.LEFT).score == pytest.approx(2.5 / 3)
    assert suggestion(marks, "gluteus_medius", Side.LEFT).coverage == 1.0


def test_it_suggests_gluteus_minimus_for_sciatica_like_pain():
    # gluteus_minimus: lower buttock, back of thigh and calf essential ("pseudo-sciatica");
    # medial hamstrings explain the thigh but the calf only as spillover.
    marks = [("buttock_lower", "right", 5), ("thigh_posterior", "right", 7), ("calf", "right", 6)]
    assert top(marks, 2) == [
        ("gluteus_minimus", Side.RIGHT),
        ("hamstrings_medial", Side.RIGHT),
    ]
    assert muscles([("thigh_posterior", "left"), ("calf", "left")], 1) == ["gluteus_minimus"]


def test_it_suggests_infraspinatus_for_front_of_shoulder_pain():
    # infraspinatus: front of shoulder essential, though its TrPs lie on the back.
    assert "infraspinatus" in muscles([("shoulder_anterior", "left", 6)], 5)
    # With the outer upper arm (its second essential zone; the e-arm.org study found the
    # anterolateral arm most common) it comes first, ahead of the deltoid.
    marks = [("shoulder_anterior", "left", 6), ("upper_arm_lateral", "left", 4)]
    assert top(marks, 2) == [("infraspinatus", Side.LEFT), ("deltoid", Side.LEFT)]


def test_it_suggests_the_pterygoid_and_masseter_for_jaw_joint_and_cheek_pain():
    # lateral_pterygoid: TMJ and cheek essential and TrP sites; masseter: both essential,
    # TrP in the cheek; temporalis reaches both only as spillover.
    marks = [("tmj", "right", 8), ("cheek_maxillary", "right", 8)]
    assert muscles(marks, 2) == ["lateral_pterygoid", "masseter"]
    temporalis = suggestion(marks, "temporalis", Side.RIGHT)
    assert len(temporalis.secondary_matches) == 2
    assert temporalis.primary_matches == ()


def test_it_suggests_temporalis_first_for_its_whole_pattern():
    # temporalis: temple, upper teeth and eye essential.
    marks = [("head_temporal", "left"), ("teeth_upper", "left"), ("eye_orbital", "left")]
    assert muscles(marks, 1) == ["temporalis"]


def test_it_suggests_rectus_abdominis_on_both_sides_for_one_sided_mid_back_pain():
    # referral_atlas.md caveat 4: upper rectus abdominis refers across the mid-back on both
    # sides, so a right mid-back mark is explained by the left and the right muscle.
    found = rank([("thoracic_lower", "right")])
    sides = {s.side for s in found if s.muscle_id == "rectus_abdominis"}
    assert sides == {Side.LEFT, Side.RIGHT}
    # Everything else refers same-side only.
    assert {s.side for s in found if s.muscle_id != "rectus_abdominis"} == {Side.RIGHT}


def test_it_counts_the_opposite_forehead_as_spillover_of_the_sternocleidomastoid():
    # caveat 4: the clavicular SCM frontal headache can become bilateral when severe.
    marks = [("head_frontal", "left")]
    assert suggestion(marks, "sternocleidomastoid", Side.LEFT).primary_matches
    crossed = suggestion(marks, "sternocleidomastoid", Side.RIGHT)
    assert crossed.primary_matches == ()
    assert crossed.secondary_matches == (Mark("head_frontal", Side.LEFT, 5.0),)


def test_it_counts_a_midline_mark_for_the_muscles_of_both_sides():
    # lumbar_multifidi: TrP and essential zone over the sacrum (a midline region).
    found = rank([("sacrum", None, 6)])
    assert top([("sacrum", None, 6)], 2) == [
        ("lumbar_multifidi", Side.LEFT),
        ("lumbar_multifidi", Side.RIGHT),
    ]
    by_muscle: dict[str, set] = {}
    for s in found:
        by_muscle.setdefault(s.muscle_id, set()).add((s.side, s.score))
    assert all(len({score for _, score in pairs}) == 1 for pairs in by_muscle.values())
    assert all(len(pairs) == 2 for pairs in by_muscle.values())


def test_it_ranks_a_muscle_that_explains_more_of_the_drawing_higher():
    # gluteus_minimus: outer thigh, outer leg and calf all essential; vastus_lateralis: outer
    # thigh essential and TrP site, nothing else marked.
    marks = [("thigh_lateral", "left"), ("leg_lateral", "left"), ("calf", "left")]
    glute = suggestion(marks, "gluteus_minimus", Side.LEFT)
    vastus = suggestion(marks, "vastus_lateralis", Side.LEFT)
    assert glute.score > vastus.score
    assert (glute.coverage, vastus.coverage) == (1.0, pytest.approx(1 / 3))


def test_it_ranks_essential_zones_above_spillover():
    # elbow_lateral: essential for supinator, spillover for extensor_digitorum.
    marks = [("elbow_lateral", "left")]
    supinator = suggestion(marks, "supinator", Side.LEFT)
    extensor = suggestion(marks, "extensor_digitorum", Side.LEFT)
    assert supinator.score == 2 * extensor.score


def test_it_weighs_marks_by_intensity():
    # soleus: heel essential; wrist_flexors: palm side of the wrist essential.
    heavy_heel = [("heel", "left", 9), ("wrist_volar", "left", 1)]
    heavy_wrist = [("heel", "left", 1), ("wrist_volar", "left", 9)]
    for marks, more, less in [
        (heavy_heel, "soleus", "wrist_flexors"),
        (heavy_wrist, "wrist_flexors", "soleus"),
    ]:
        assert suggestion(marks, more, Side.LEFT).score == pytest.approx(
            5 * suggestion(marks, less, Side.LEFT).score, abs=1e-5
        )


def test_it_explains_its_suggestions_with_the_matched_marks():
    # temporalis: temple essential + TrP site, tmj spillover.
    marks = [("head_temporal", "left", 8), ("tmj", "left", 3), ("heel", "right")]
    s = suggestion(marks, "temporalis", Side.LEFT)
    assert s.primary_matches == (Mark("head_temporal", Side.LEFT, 8.0),)
    assert s.secondary_matches == (Mark("tmj", Side.LEFT, 3.0),)
    assert s.trp_matches == (Mark("head_temporal", Side.LEFT, 8.0),)
    assert s.score == pytest.approx((9 * 1.3 + 4 * 0.5) / (9 + 4 + 6))
    assert s.coverage == pytest.approx(13 / 19)


def test_it_merges_duplicate_marks_keeping_the_highest_intensity():
    merged = rank([("heel", "left", 2), ("heel", "left", 9), ("heel", "left", 4.5)])
    assert merged == rank([("heel", "left", 9)])
    assert merged[0].primary_matches == (Mark("heel", Side.LEFT, 9.0),)


def test_it_defaults_the_intensity_to_5_and_accepts_marks_in_any_form():
    expected = rank([("heel", "left", 5)])
    assert rank([("heel", "left")]) == expected
    assert rank([["heel", "left"]]) == expected
    assert rank([Mark("heel", Side.LEFT)]) == expected
    assert rank([("heel", Side.LEFT, 5.0)]) == expected
    assert rank(iter([("heel", "left")])) == expected


def test_it_returns_nothing_for_an_empty_drawing():
    assert rank([]) == []


def test_it_counts_marks_rated_zero():
    (first, *_) = (s for s in rank([("heel", "left", 0)]) if s.muscle_id in atlas.MUSCLES)
    assert first.muscle_id == "quadratus_plantae"
    assert first.score == 1.3


# Validation


@pytest.mark.parametrize(
    ("mark", "field"),
    [
        (("temple", "left"), "region_id"),
        ((None, "left"), "region_id"),
        ((["heel"], "left"), "region_id"),
        (("heel", "Left"), "side"),
        (("heel", "both"), "side"),
        (("heel", None), "side"),  # paired region needs a side
        (("sacrum", "left"), "side"),  # midline region takes none
        (("heel", 1), "side"),
        (("heel", ["left"]), "side"),
        (("heel", "left", -1), "intensity"),
        (("heel", "left", 10.5), "intensity"),
        (("heel", "left", float("nan")), "intensity"),
        (("heel", "left", float("inf")), "intensity"),
        (("heel", "left", True), "intensity"),
        (("heel", "left", "5"), "intensity"),
        (("heel", "left", None), "intensity"),
        (("heel",), r"marks\[0\]"),
        (("heel", "left", 5, "extra"), r"marks\[0\]"),
        ("heel", r"marks\[0\]"),
        ({"region_id": "heel"}, r"marks\[0\]"),
        (None, r"marks\[0\]"),
    ],
)
def test_it_refuses_a_bad_mark_naming_the_field(mark, field):
    with pytest.raises(ValueError, match=field):
        rank([mark])


def test_it_explains_how_to_mark_midline_and_paired_regions():
    with pytest.raises(ValueError, match="midline region, so side must be None"):
        rank([("sacrum", "right")])
    with pytest.raises(ValueError, match="mark both sides"):
        rank([("low_back", None)])


@pytest.mark.parametrize("marks", [None, "heel", {"heel": "left"}, 5])
def test_it_refuses_marks_that_are_not_a_list(marks):
    with pytest.raises(ValueError, match="marks"):
        rank(marks)


@pytest.mark.parametrize("limit", [-1, 1.5, True, "3"])
def test_it_refuses_a_bad_limit(limit):
    with pytest.raises(ValueError, match="limit"):
        rank([("heel", "left")], limit=limit)


# Properties

PLACES = [
    (region.id, None if region.midline else side)
    for region in REGIONS.values()
    for side in ((None,) if region.midline else ("left", "right"))
]
intensities = st.integers(0, 10) | st.floats(0, 10, allow_nan=False)
marks_strategy = st.lists(
    st.tuples(st.sampled_from(PLACES), intensities).map(lambda m: (*m[0], m[1]))
    | st.sampled_from(PLACES),
    max_size=40,
)
junk = st.none() | st.booleans() | st.text(max_size=8) | st.integers() | st.floats()
junk = junk | st.lists(st.integers(), max_size=2) | st.dictionaries(st.text(max_size=2), st.none())


@st.composite
def invalid_marks(draw):
    region_id, side = draw(st.sampled_from(PLACES))
    kind = draw(st.sampled_from(["region", "side", "intensity", "shape"]))
    if kind == "region":
        bad = draw(junk.filter(lambda x: not (isinstance(x, str) and x in REGIONS)))
        return (bad, side)
    if kind == "side":
        valid = {None} if side is None else {"left", "right"}
        bad = draw(junk.filter(lambda x: not (isinstance(x, str | None) and x in valid)))
        return (region_id, bad)
    if kind == "intensity":
        numbers = st.integers() | st.floats()
        bad = draw(
            (junk | numbers).filter(
                lambda x: isinstance(x, bool) or not isinstance(x, int | float) or not 0 <= x <= 10
            )
        )
        return (region_id, side, bad)
    return draw(junk | st.just((region_id,)) | st.just((region_id, side, 5, 5)))


def key_sets(suggestion):
    return tuple(
        {(m.region_id, m.side) for m in matches}
        for matches in (
            suggestion.primary_matches,
            suggestion.secondary_matches,
            suggestion.trp_matches,
        )
    )


@given(marks_strategy, st.sampled_from(PLACES), intensities)
def test_it_never_loses_matches_when_a_mark_is_added(marks, place, intensity):
    before = {(s.muscle_id, s.side): key_sets(s) for s in rank(marks)}
    after = {(s.muscle_id, s.side): key_sets(s) for s in rank([*marks, (*place, intensity)])}
    for key, sets in before.items():
        assert key in after
        assert all(old <= new for old, new in zip(sets, after[key], strict=True))


@given(marks_strategy, st.randoms(use_true_random=False))
def test_it_ranks_the_same_drawing_the_same_way_in_any_order(marks, rng):
    shuffled = list(marks)
    rng.shuffle(shuffled)
    assert rank(shuffled) == rank(marks)


@given(marks_strategy)
def test_it_gives_finite_non_negative_scores_in_order(marks):
    found = rank(marks)
    for s in found:
        assert math.isfinite(s.score)
        assert 0 < s.score <= atlas.PRIMARY_WEIGHT + atlas.TRP_WEIGHT
        assert 0 < s.coverage <= 1
        if s.side is None:  # a midline ligament
            assert atlas.STRUCTURES[s.muscle_id].midline
        else:
            assert s.side in (Side.LEFT, Side.RIGHT)
        assert s.primary_matches or s.secondary_matches or s.trp_matches
    keys = [(-s.score, s.muscle_id, s.side) for s in found]
    assert keys == sorted(keys)
    assert len({(s.muscle_id, s.side) for s in found}) == len(found)


@given(marks_strategy, st.integers(0, 200))
def test_it_returns_a_prefix_when_limited(marks, limit):
    assert rank(marks, limit=limit) == rank(marks)[:limit]


@given(marks_strategy, invalid_marks(), st.data())
def test_it_always_refuses_invalid_marks_with_value_error(marks, bad, data):
    at = data.draw(st.integers(0, len(marks)))
    with pytest.raises(ValueError):
        rank([*marks[:at], bad, *marks[at:]])
    with pytest.raises(ValueError):
        atlas.wpi_areas([*marks[:at], bad, *marks[at:]])
