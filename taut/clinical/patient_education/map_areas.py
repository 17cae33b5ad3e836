"""The body map's places as the self-check's areas: a patient who shows where it hurts on
the body map (the atlas's 88 fine regions, front and back) answers the self-check's
"Where is your pain?" with the short list's areas (``SELFCHECK_AREAS``, 13 of them) that
hold the places marked.

Each atlas region (``taut.clinical.atlas.REGIONS``) belongs to exactly one area
(``AREA_OF_REGION``), or is left out with the reason why (``UNMAPPED``); a table-driven
test keeps the two complete and apart. Sides are dropped: the short list has none.

The answers keep their shape and meaning: ``regions`` still holds ``SELFCHECK_AREAS`` ids
whichever way the patient chose them, so the signed answers of the appointment request,
``read_answers`` and ``selfcheck_summary`` are unchanged, and the outcome never depended
on the places. ``VERSION`` (the content's) is therefore unchanged: no outcome and no
answer means anything new. Staff read the area ("Neck"), not the fine place; the portal's
pre-visit pain drawing records the fine places once the patient has a visit.

Not a rule: Taut's grouping of its own body map, by where each region lies (the atlas's
groups and the patient labels of ``taut.clinical.body_areas``).
"""

from collections.abc import Iterable, Mapping

from taut.clinical.patient_education.content import VERSION
from taut.clinical.patient_education.self_check import SELFCHECK_AREAS

__all__ = ["AREA_OF_REGION", "UNMAPPED", "VERSION", "selfcheck_areas_for"]

# The areas by their ids (each an atlas region id: the region the area is named for).
_HEAD, _FACE, _NECK = "head_temporal", "tmj", "neck_posterior_lower"
_SHOULDER, _UPPER_BACK, _ARM = "shoulder_top", "thoracic_upper", "upper_arm_lateral"
_HAND, _CHEST, _BELLY = "forearm_dorsal", "chest_anterior", "abdomen_lower_quadrant"
_LOW_BACK, _HIP, _THIGH, _LEG = "low_back", "buttock", "thigh_anterior", "calf"

_AREA_REGIONS: Mapping[str, tuple[str, ...]] = {
    _HEAD: ("head_vertex", "head_frontal", "head_temporal", "head_occipital", "eye_orbital",
            "ear"),
    _FACE: ("cheek_maxillary", "tmj", "jaw_mandible", "teeth_upper", "teeth_lower"),
    _NECK: ("throat", "neck_anterior", "neck_lateral", "neck_posterior_upper",
            "neck_posterior_lower"),
    _SHOULDER: ("shoulder_top", "shoulder_anterior", "shoulder_lateral", "shoulder_posterior",
                "axilla"),
    # The middle of the back (below the shoulder blades) is nearer the list's "Upper back"
    # than its "Low back" (the lumbar spine and below).
    _UPPER_BACK: ("thoracic_upper", "thoracic_lower", "scapula_supraspinous",
                  "scapula_infraspinous", "scapula_medial_border", "scapula_inferior_angle"),
    _ARM: ("upper_arm_anterior", "upper_arm_lateral", "upper_arm_posterior",
           "upper_arm_medial", "elbow_anterior", "elbow_lateral", "elbow_medial",
           "elbow_posterior"),
    _HAND: ("forearm_dorsal", "forearm_volar", "forearm_radial", "forearm_ulnar",
            "wrist_dorsal", "wrist_volar", "hand_dorsal", "palm", "thumb", "fingers_radial",
            "fingers_ulnar"),
    _CHEST: ("chest_anterior", "sternum", "chest_lateral"),
    _BELLY: ("epigastric", "abdomen_upper_quadrant", "periumbilical",
             "abdomen_lower_quadrant", "suprapubic"),
    # The flank (side of the waist, front and back figures) and the tailbone go with the
    # low back: the list's "Belly" and "Buttock or hip" name neither.
    _LOW_BACK: ("low_back", "iliac_crest_posterior", "sacroiliac", "sacrum", "coccyx",
                "flank"),
    # The groin is where the leg joins the body: the front of the hip.
    _HIP: ("buttock", "buttock_lower", "hip_lateral", "hip_anterior", "groin"),
    _THIGH: ("thigh_anterior", "thigh_medial", "thigh_lateral", "thigh_posterior",
             "knee_anterior", "knee_medial", "knee_lateral", "knee_posterior"),
    _LEG: ("shin", "leg_lateral", "calf", "ankle_anterior", "ankle_medial", "ankle_lateral",
           "achilles", "heel", "foot_dorsal", "foot_lateral", "sole_arch", "sole_forefoot",
           "big_toe", "toes_lesser"),
}  # fmt: skip

#: The self-check area (a ``SELFCHECK_AREAS`` id) of each atlas region on the body map.
AREA_OF_REGION: Mapping[str, str] = {
    region: area for area, regions in _AREA_REGIONS.items() for region in regions
}

#: Atlas regions that no self-check area stands for, each with the reason.
UNMAPPED: Mapping[str, str] = {
    "genital_perineal": (
        "The private parts: no area on the short list names them, and calling them "
        "'Belly' or 'Buttock or hip' would tell staff something the patient did not say."
    ),
}

_ORDER = {choice.id: index for index, choice in enumerate(SELFCHECK_AREAS)}


def selfcheck_areas_for(region_ids: Iterable[str]) -> tuple[str, ...]:
    """The self-check areas (``SELFCHECK_AREAS`` ids, in the list's order, each once) that
    hold ``region_ids`` (atlas region ids). Regions in ``UNMAPPED`` add nothing; an id
    that is not an atlas region raises ValueError.

    Not a rule: Taut's grouping of its body map (the module docstring)."""
    areas = set()
    for region_id in region_ids:
        if region_id in UNMAPPED:
            continue
        if region_id not in AREA_OF_REGION:
            raise ValueError(f"regions: unknown body map region {region_id!r}")
        areas.add(AREA_OF_REGION[region_id])
    return tuple(sorted(areas, key=_ORDER.__getitem__))


def _check() -> None:
    """Every area is a self-check area, and no region is both mapped and unmapped (an
    import-time guard, as ``self_check._check_sources``)."""
    unknown = set(_AREA_REGIONS) - set(_ORDER)
    if unknown:
        raise ValueError(f"map_areas: not self-check areas {sorted(unknown)}")
    both = set(AREA_OF_REGION) & set(UNMAPPED)
    if both:
        raise ValueError(f"map_areas: mapped and unmapped {sorted(both)}")
    listed = sum(len(regions) for regions in _AREA_REGIONS.values())
    if listed != len(AREA_OF_REGION):
        raise ValueError("map_areas: a region is listed under two areas")


_check()
