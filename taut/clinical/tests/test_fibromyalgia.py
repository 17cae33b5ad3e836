"""ACR fibromyalgia criteria, 2016 and 2010/2011.

Source ids are those of docs/clinical-rules.md (shared/reference/clinical.md §9).
"""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.clinical import fibromyalgia
from taut.clinical.fibromyalgia import (
    NOT_COUNTED_FOR_GENERALIZED,
    REGIONS,
    WPI_AREAS,
    Region,
    acr2010,
    acr2011,
    acr2016,
    painful_regions,
)

# Painful-area sets, named by WPI and by the regions that count for generalised pain.
GEN_7 = {  # all 5 regions
    "shoulder_girdle_left",
    "shoulder_girdle_right",
    "hip_left",
    "hip_right",
    "neck",
    "upper_back",
    "lower_back",
}
GEN_6 = GEN_7 - {"lower_back"}  # still all 5 regions
GEN_4 = {"shoulder_girdle_left", "shoulder_girdle_right", "hip_left", "hip_right"}  # 4 regions
THREE = {"shoulder_girdle_left", "hip_left", "neck"}  # 3 regions
LEFT_SIDE_7 = {  # left upper, left lower and axial only: 3 regions
    "shoulder_girdle_left",
    "upper_arm_left",
    "lower_arm_left",
    "hip_left",
    "upper_leg_left",
    "lower_leg_left",
    "neck",
}
# Jaw L/R, chest and abdomen would make 4 regions if they counted; they do not: 3 regions.
JAW_CHEST_7 = {
    "jaw_left",
    "jaw_right",
    "chest",
    "abdomen",
    "shoulder_girdle_left",
    "hip_left",
    "neck",
}


def symptoms(fatigue=0, unrefreshed=0, cognitive=0, six_months=0, months=6):
    """SSS inputs; ``six_months`` turns on that many of headaches, lower abdominal, depression."""
    return {
        "fatigue": fatigue,
        "unrefreshed": unrefreshed,
        "cognitive": cognitive,
        "headaches": six_months >= 1,
        "lower_abdominal": six_months >= 2,
        "depression": six_months >= 3,
        "months": months,
    }


ACR2016_CASES = [
    # (areas, symptoms, wpi, sss, generalized, meets); criteria [S41], [S43b]; regions [S42b].
    (GEN_7, symptoms(2, 2, 1), 7, 5, True, True),  # arm 1 at its boundary: WPI 7, SSS 5
    (GEN_7, symptoms(2, 1, 1), 7, 4, True, False),  # SSS one short
    (GEN_6, symptoms(3, 3, 2, 1), 6, 9, True, True),  # arm 2 at its top: WPI 6, SSS 9
    (GEN_6, symptoms(3, 3, 2), 6, 8, True, False),  # SSS one short of 9
    (GEN_6, symptoms(2, 2, 1), 6, 5, True, False),  # WPI 6 needs SSS 9, not 5
    (GEN_4, symptoms(3, 3, 3), 4, 9, True, True),  # arm 2 at its bottom: WPI 4, SSS 9
    (GEN_4, symptoms(3, 3, 1, 1), 4, 8, True, False),
    (THREE, symptoms(3, 3, 3, 3), 3, 12, False, False),  # WPI 3 is below 2016's 4–6
    (LEFT_SIDE_7, symptoms(3, 3, 3, 3), 7, 12, False, False),  # one side + axial: not generalized
    (JAW_CHEST_7, symptoms(3, 3, 3, 3), 7, 12, False, False),  # jaw, chest, abdomen don't count
    (GEN_7, symptoms(2, 2, 1, months=3), 7, 5, True, True),  # exactly 3 months
    (GEN_7, symptoms(2, 2, 1, months=2.9), 7, 5, True, False),  # under 3 months
    (set(WPI_AREAS), symptoms(3, 3, 3, 3), 19, 12, True, True),  # the maxima
    (set(), symptoms(), 0, 0, False, False),  # the minima
]


@pytest.mark.parametrize(("areas", "answers", "wpi", "sss", "generalized", "meets"), ACR2016_CASES)
def test_it_applies_acr2016(areas, answers, wpi, sss, generalized, meets):
    result = acr2016(areas, **answers)
    assert (result.wpi, result.sss, result.generalized, result.meets) == (
        wpi,
        sss,
        generalized,
        meets,
    )
    assert result.criteria == "ACR 2016"
    assert result.fs == wpi + sss  # [S42]


ACR2011_CASES = [
    # (areas, symptoms, explained, meets); 2011 criteria [S41b], [S42b]: WPI 3–6 arm, no
    # generalised-pain rule, no other disorder explaining the pain.
    (THREE, symptoms(3, 3, 2, 1), False, True),  # WPI 3, SS 9: met in 2011, not in 2016
    (THREE, symptoms(3, 3, 2), False, False),  # WPI 3, SS 8
    (LEFT_SIDE_7, symptoms(2, 2, 1), False, True),  # WPI 7, SS 5: no region rule in 2011
    ({"neck", "hip_left"}, symptoms(3, 3, 3, 3), False, False),  # WPI 2
    (GEN_7, symptoms(2, 2, 1), True, False),  # another disorder explains the pain
    (GEN_7, symptoms(2, 2, 1, months=1), False, False),  # under 3 months
]


@pytest.mark.parametrize(("areas", "answers", "explained", "meets"), ACR2011_CASES)
def test_it_applies_acr2011(areas, answers, explained, meets):
    result = acr2011(areas, **answers, explained_by_other_disorder=explained)
    assert result.meets is meets
    assert result.generalized is None
    assert result.criteria == "ACR 2011"


ACR2010_CASES = [
    # (areas, fatigue, unrefreshed, cognitive, somatic, ss, meets); 2010 physician form:
    # somatic symptoms in general rated 0–3 [S42], [S43c].
    (LEFT_SIDE_7, 1, 1, 1, 2, 5, True),  # WPI 7, SS 5
    (LEFT_SIDE_7, 1, 1, 1, 1, 4, False),  # WPI 7, SS 4
    (THREE, 3, 2, 1, 3, 9, True),  # WPI 3, SS 9
    (THREE, 3, 2, 1, 2, 8, False),  # WPI 3, SS 8
]


@pytest.mark.parametrize(
    ("areas", "fatigue", "unrefreshed", "cognitive", "somatic", "ss", "meets"), ACR2010_CASES
)
def test_it_applies_acr2010(areas, fatigue, unrefreshed, cognitive, somatic, ss, meets):
    result = acr2010(
        areas,
        fatigue=fatigue,
        unrefreshed=unrefreshed,
        cognitive=cognitive,
        somatic=somatic,
        months=12,
        explained_by_other_disorder=False,
    )
    assert (result.sss, result.meets) == (ss, meets)
    assert result.criteria == "ACR 2010"


def test_it_lists_the_19_wpi_areas_and_five_regions():
    assert len(WPI_AREAS) == 19
    assert {str(area) for area in WPI_AREAS} == {
        "jaw_left", "jaw_right", "shoulder_girdle_left", "shoulder_girdle_right",
        "upper_arm_left", "upper_arm_right", "lower_arm_left", "lower_arm_right",
        "hip_left", "hip_right", "upper_leg_left", "upper_leg_right",
        "lower_leg_left", "lower_leg_right", "neck", "upper_back", "lower_back",
        "chest", "abdomen",
    }  # fmt: skip
    assert list(REGIONS) == list(Region)
    members = [area for region in REGIONS.values() for area in region]
    assert sorted(members) == sorted(WPI_AREAS)  # each area in exactly one region [S41]
    assert {"jaw_left", "jaw_right", "chest", "abdomen"} == NOT_COUNTED_FOR_GENERALIZED


def test_it_counts_a_region_only_through_areas_that_count():
    assert painful_regions(["jaw_left", "chest", "abdomen", "jaw_right"]) == ()
    assert painful_regions(["lower_back", "jaw_left"]) == (Region.AXIAL,)


def test_it_explains_each_part_of_the_verdict():
    result = acr2016(LEFT_SIDE_7, **symptoms(3, 3, 3, 3))
    texts = [reason.text for reason in result.reasons]
    assert texts[0].startswith("WPI 7 of 19")
    assert texts[1].startswith("SSS 12 of 12")
    assert "Generalised pain not met: 3 of 5 regions" in texts[2]
    assert texts[3].startswith("Severity met")
    assert texts[4].startswith("Duration met")
    assert all(reason.source for reason in result.reasons)
    failed = [reason for reason in result.reasons if reason.met is False]
    assert len(failed) == 1
    assert result.version == fibromyalgia.VERSION


def test_it_counts_an_area_listed_twice_once():
    assert acr2016(["neck", "neck"], **symptoms()).wpi == 1


@pytest.mark.parametrize(
    ("areas", "answers", "field"),
    [
        (["knee_left"], symptoms(), "painful_areas"),
        ("neck", symptoms(), "painful_areas"),
        (None, symptoms(), "painful_areas"),
        ([], symptoms(fatigue=4), "fatigue"),
        ([], symptoms(unrefreshed=-1), "unrefreshed"),
        ([], symptoms(cognitive=1.5), "cognitive"),
        ([], symptoms(cognitive=True), "cognitive"),
        ([], symptoms(fatigue="2"), "fatigue"),
        ([], {**symptoms(), "headaches": 1}, "headaches"),
        ([], {**symptoms(), "depression": None}, "depression"),
        ([], symptoms(months=-1), "months"),
        ([], symptoms(months=float("nan")), "months"),
        ([], symptoms(months="3"), "months"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(areas, answers, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        acr2016(areas, **answers)


def test_it_refuses_a_bad_somatic_rating_or_exclusion_flag():
    with pytest.raises(ValueError, match=r"^somatic"):
        acr2010(
            [],
            fatigue=0,
            unrefreshed=0,
            cognitive=0,
            somatic=4,
            months=3,
            explained_by_other_disorder=False,
        )
    with pytest.raises(ValueError, match=r"^explained_by_other_disorder"):
        acr2011([], **symptoms(), explained_by_other_disorder=None)


# --- properties -------------------------------------------------------------------------------

area_sets = st.sets(st.sampled_from(WPI_AREAS))
ratings = st.integers(0, 3)
answers = st.builds(
    symptoms,
    fatigue=ratings,
    unrefreshed=ratings,
    cognitive=ratings,
    six_months=st.integers(0, 3),
    months=st.integers(0, 24),
)


@given(area_sets, area_sets, answers)
def test_it_is_monotone_in_added_painful_areas(areas, more, answers):
    before = acr2016(areas, **answers)
    after = acr2016(areas | more, **answers)
    assert after.wpi >= before.wpi
    assert after.wpi == len(areas | more)
    assert after.generalized >= before.generalized
    assert after.meets >= before.meets


@given(area_sets, answers, st.sampled_from(["fatigue", "unrefreshed", "cognitive"]))
def test_it_never_stops_meeting_when_a_symptom_worsens(areas, answers, symptom):
    before = acr2016(areas, **answers)
    worse = {**answers, symptom: min(answers[symptom] + 1, 3)}
    after = acr2016(areas, **worse)
    assert 0 <= before.sss <= after.sss <= 12
    assert after.meets >= before.meets


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(max_size=8),
    st.sampled_from(WPI_AREAS),
    st.lists(st.one_of(st.sampled_from(WPI_AREAS), st.text(max_size=5)), max_size=4),
)


@given(junk, junk, junk, junk, junk, junk)
def test_it_raises_only_value_error_on_bad_input(
    areas, fatigue, cognitive, headaches, months, extra
):
    for call in (
        lambda: acr2016(
            areas,
            **{
                **symptoms(fatigue=fatigue, cognitive=cognitive, months=months),
                "headaches": headaches,
            },
        ),
        lambda: acr2010(
            areas,
            fatigue=fatigue,
            unrefreshed=1,
            cognitive=cognitive,
            somatic=extra,
            months=months,
            explained_by_other_disorder=headaches,
        ),
        lambda: acr2011(
            areas,
            **symptoms(fatigue, 1, cognitive, months=months),
            explained_by_other_disorder=extra,
        ),
    ):
        with contextlib.suppress(ValueError):  # any other exception fails
            call()


@pytest.mark.parametrize(
    "areas, offered",
    [
        ([], False),
        (["neck", "upper_back", "lower_back"], False),  # WPI 3 can never meet ACR 2016
        (["neck", "upper_back", "lower_back", "hip_left"], True),  # WPI 4: the lower arm
        (["jaw_left", "jaw_right", "chest", "abdomen", "neck"], True),
    ],
)
def test_it_offers_the_survey_from_a_wpi_of_four(areas, offered):
    from taut.clinical.fibromyalgia import survey_indicated

    assert survey_indicated(areas) is offered
