"""The back figure, viewer's left half (the patient's LEFT side: we see the back)."""

from taut.atlas.bodymap import limbs
from taut.atlas.bodymap.geometry import highest, line, row
from taut.atlas.bodymap.silhouette import (
    ARM_IN,
    ARM_OUT,
    EAR,
    LEG_IN,
    LEG_OUT,
    MID,
    NECK_BASE,
    SOLE_IN,
    SOLE_OUT,
    TRUNK,
    UPPER,
)

# The shoulder blade: its spine rises from the inner border to the acromion; its outer
# border runs down and in to the lower tip, where the inner border meets it.
SCAPULAR_SPINE = line(50, 88, 82, 101)
SCAPULA_OUTER = highest(TRUNK + 8, line(62, 104, 80, 152))
SCAPULA_INNER = line(88, 138, 81, 152)
ILIAC_CREST = line(TRUNK(200) + 8, 200, 85, 212)  # lower edge of the rim, out to in
SACRUM_EDGE = line(90, 212, 95.5, 226)

AXIAL = (
    row(4, 14, UPPER, "head_vertex", MID),
    row(14, 42, UPPER, "head_temporal", UPPER + 6.5, "head_occipital", MID),
    row(42, 52, UPPER, "head_occipital", MID),
    row(52, 64, UPPER, "neck_lateral", UPPER + 5.5, "neck_posterior_upper", MID),
    row(
        64,
        76,
        UPPER,
        "shoulder_top",
        NECK_BASE,
        "neck_lateral",
        NECK_BASE + 5.5,
        "neck_posterior_lower",
        MID,
    ),
    row(76, 86, UPPER, "shoulder_top", 88, "neck_posterior_lower", MID),
    row(
        86,
        101,
        UPPER,
        "shoulder_lateral",
        UPPER + 7,
        "shoulder_posterior",
        62,
        "scapula_infraspinous",
        highest(62, SCAPULAR_SPINE),
        "scapula_supraspinous",
        88,
        "thoracic_upper",
        MID,
    ),
    row(
        101,
        112,
        UPPER,
        "shoulder_lateral",
        UPPER + 7,
        "shoulder_posterior",
        highest(62, SCAPULA_OUTER),
        "scapula_infraspinous",
        82,
        "scapula_medial_border",
        88,
        "thoracic_upper",
        MID,
    ),
    row(
        112,
        138,
        TRUNK,
        "chest_lateral",
        TRUNK + 8,
        "thoracic_lower",
        SCAPULA_OUTER,
        "scapula_infraspinous",
        82,
        "scapula_medial_border",
        88,
        "thoracic_upper",
        MID,
    ),
    row(
        138,
        152,
        TRUNK,
        "chest_lateral",
        TRUNK + 8,
        "thoracic_lower",
        SCAPULA_OUTER,
        "scapula_inferior_angle",
        SCAPULA_INNER,
        "thoracic_upper",
        MID,
    ),
    row(152, 172, TRUNK, "chest_lateral", TRUNK + 8, "thoracic_lower", MID),
    row(172, 192, TRUNK, "flank", TRUNK + 8, "thoracic_lower", MID),
    row(192, 200, TRUNK, "flank", TRUNK + 8, "low_back", MID),
    row(
        200,
        212,
        TRUNK,
        "hip_lateral",
        TRUNK + 8,
        "buttock",
        ILIAC_CREST,
        "iliac_crest_posterior",
        ILIAC_CREST + 8,
        "low_back",
        MID,
    ),
    row(
        212,
        226,
        TRUNK,
        "hip_lateral",
        TRUNK + 8,
        "buttock",
        SACRUM_EDGE - 6,
        "sacroiliac",
        SACRUM_EDGE,
        "sacrum",
        MID,
    ),
    row(226, 236, TRUNK, "hip_lateral", TRUNK + 8, "buttock", 95.5, "coccyx", MID),
)

EAR_PART = (row(28, 45, EAR, "ear", UPPER),)

ARM = limbs.arm(
    row(112, 178, ARM_OUT, "upper_arm_lateral", ARM_OUT + 7, "upper_arm_posterior", ARM_IN),
    elbow="elbow_posterior",
    forearm="forearm_dorsal",
    wrist="wrist_dorsal",
    hand="hand_dorsal",
)

LEG = limbs.leg(
    row(236, 258, LEG_OUT, "thigh_lateral", LEG_OUT + 7, "buttock_lower", LEG_IN),
    row(258, 306, LEG_OUT, "thigh_lateral", LEG_OUT + 7, "thigh_posterior", LEG_IN),
    knee="knee_posterior",
    lower_leg="calf",
    ankle="achilles",
    foot="heel",
)

SOLE = (
    row(446, 462, SOLE_OUT, "sole_arch", SOLE_IN),
    row(462, 479, SOLE_OUT, "sole_forefoot", SOLE_IN),
)

PARTS = {"axial": AXIAL, "ear": EAR_PART, "arm": ARM, "leg": LEG, "sole": SOLE}
