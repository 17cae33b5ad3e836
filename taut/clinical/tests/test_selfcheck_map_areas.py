"""The body map's places as the self-check's areas (``patient_education.map_areas``): every
atlas region maps to exactly one area or is left out with a reason. Not a rule: Taut's
grouping of its own body map."""

import pytest

from taut.clinical import atlas
from taut.clinical import patient_education as education
from taut.clinical.patient_education import map_areas

# The table: each self-check area (by its label) and every atlas region it holds.
EXPECTED = {
    "Head": {"head_vertex", "head_frontal", "head_temporal", "head_occipital",
             "eye_orbital", "ear"},
    "Jaw or face": {"cheek_maxillary", "tmj", "jaw_mandible", "teeth_upper", "teeth_lower"},
    "Neck": {"throat", "neck_anterior", "neck_lateral", "neck_posterior_upper",
             "neck_posterior_lower"},
    "Shoulder": {"shoulder_top", "shoulder_anterior", "shoulder_lateral",
                 "shoulder_posterior", "axilla"},
    "Upper back": {"thoracic_upper", "thoracic_lower", "scapula_supraspinous",
                   "scapula_infraspinous", "scapula_medial_border",
                   "scapula_inferior_angle"},
    "Arm or elbow": {"upper_arm_anterior", "upper_arm_lateral", "upper_arm_posterior",
                     "upper_arm_medial", "elbow_anterior", "elbow_lateral", "elbow_medial",
                     "elbow_posterior"},
    "Forearm, wrist, or hand": {"forearm_dorsal", "forearm_volar", "forearm_radial",
                                "forearm_ulnar", "wrist_dorsal", "wrist_volar",
                                "hand_dorsal", "palm", "thumb", "fingers_radial",
                                "fingers_ulnar"},
    "Chest": {"chest_anterior", "sternum", "chest_lateral"},
    "Belly": {"epigastric", "abdomen_upper_quadrant", "periumbilical",
              "abdomen_lower_quadrant", "suprapubic"},
    "Low back": {"low_back", "iliac_crest_posterior", "sacroiliac", "sacrum", "coccyx",
                 "flank"},
    "Buttock or hip": {"buttock", "buttock_lower", "hip_lateral", "hip_anterior", "groin"},
    "Thigh or knee": {"thigh_anterior", "thigh_medial", "thigh_lateral", "thigh_posterior",
                      "knee_anterior", "knee_medial", "knee_lateral", "knee_posterior"},
    "Lower leg or foot": {"shin", "leg_lateral", "calf", "ankle_anterior", "ankle_medial",
                          "ankle_lateral", "achilles", "heel", "foot_dorsal", "foot_lateral",
                          "sole_arch", "sole_forefoot", "big_toe", "toes_lesser"},
}  # fmt: skip
EXPECTED_UNMAPPED = {"genital_perineal"}
AREA_BY_LABEL = {choice.label: choice.id for choice in education.SELFCHECK_AREAS}
CASES = sorted(
    [(region, AREA_BY_LABEL[label]) for label, regions in EXPECTED.items() for region in regions]
    + [(region, None) for region in EXPECTED_UNMAPPED]
)


def test_it_covers_every_atlas_region_once_in_the_table():
    regions = [region for region, _area in CASES]
    assert sorted(regions) == sorted(atlas.REGIONS)
    assert set(EXPECTED) == set(AREA_BY_LABEL)


@pytest.mark.parametrize(("region", "area"), CASES)
def test_it_maps_each_region_to_exactly_one_area_or_none_with_a_reason(region, area):
    if area is None:
        assert region not in education.AREA_OF_REGION
        assert len(education.UNMAPPED[region]) > 20  # a reason, in words
        assert education.selfcheck_areas_for([region]) == ()
    else:
        assert region not in education.UNMAPPED
        assert education.AREA_OF_REGION[region] == area
        assert education.selfcheck_areas_for([region]) == (area,)


def test_it_maps_each_area_s_own_region_to_that_area():
    """An area's id is the atlas region it is named for: marking it gives that area."""
    for choice in education.SELFCHECK_AREAS:
        assert education.AREA_OF_REGION[choice.id] == choice.id


def test_it_gives_areas_once_in_the_list_s_order():
    marked = ["calf", "low_back", "sacrum", "neck_lateral", "genital_perineal", "low_back"]
    assert education.selfcheck_areas_for(marked) == ("neck_posterior_lower", "low_back", "calf")
    assert education.selfcheck_areas_for([]) == ()


def test_it_refuses_an_id_that_is_not_an_atlas_region():
    with pytest.raises(ValueError, match="unknown body map region 'lower_back'"):
        education.selfcheck_areas_for(["low_back", "lower_back"])


def test_its_areas_are_answers_the_self_check_reads():
    """The mapped areas are ``regions`` as before: the answers keep their meaning."""
    areas = education.selfcheck_areas_for(["sacroiliac", "calf"])
    answers = {
        "regions": list(areas),
        "duration": "over_3_months",
        "tried": ["massage"],
        "red_flags": {q.id: False for q in education.SELFCHECK_RED_FLAGS},
    }
    assert education.read_answers(answers).regions == ("low_back", "calf")
    assert "Where it hurts: Low back, Lower leg or foot." in education.selfcheck_summary(answers)
    assert map_areas.VERSION == education.VERSION
