"""The back figure, viewer's left half (the patient's LEFT side: we see the back)."""

from taut.atlas.bodymap.geometry import GAP, highest, lerp, line, row
from taut.atlas.bodymap.silhouette import (
    ANKLE_INNER_STRIP,
    ANKLE_OUTER_STRIP,
    ARM_IN,
    ARM_OUT,
    BIG_TOE_IN,
    BIG_TOE_OUT,
    EAR,
    FINGER_SPLIT,
    LEG_IN,
    LEG_OUT,
    LESSER_TOES_IN,
    LESSER_TOES_OUT,
    MID,
    NECK_BASE,
    RADIAL_IN,
    RADIAL_OUT,
    SOLE_IN,
    SOLE_OUT,
    THUMB_IN,
    THUMB_OUT,
    TOE_SPLIT,
    TRUNK,
    ULNAR_IN,
    ULNAR_OUT,
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
    row(64, 76, UPPER, "shoulder_top", NECK_BASE, "neck_lateral", NECK_BASE + 5.5,
        "neck_posterior_lower", MID),
    row(76, 86, UPPER, "shoulder_top", 88, "neck_posterior_lower", MID),
    row(86, 101, UPPER, "shoulder_lateral", UPPER + 7, "shoulder_posterior", 62,
        "scapula_infraspinous", highest(62, SCAPULAR_SPINE), "scapula_supraspinous", 88,
        "thoracic_upper", MID),
    row(101, 112, UPPER, "shoulder_lateral", UPPER + 7, "shoulder_posterior", highest(62, SCAPULA_OUTER),
        "scapula_infraspinous", 82, "scapula_medial_border", 88, "thoracic_upper", MID),
    row(112, 138, TRUNK, "chest_lateral", TRUNK + 8, "thoracic_lower", SCAPULA_OUTER,
        "scapula_infraspinous", 82, "scapula_medial_border", 88, "thoracic_upper", MID),
    row(138, 152, TRUNK, "chest_lateral", TRUNK + 8, "thoracic_lower", SCAPULA_OUTER,
        "scapula_inferior_angle", SCAPULA_INNER, "thoracic_upper", MID),
    row(152, 172, TRUNK, "chest_lateral", TRUNK + 8, "thoracic_lower", MID),
    row(172, 192, TRUNK, "flank", TRUNK + 8, "thoracic_lower", MID),
    row(192, 200, TRUNK, "flank", TRUNK + 8, "low_back", MID),
    row(200, 212, TRUNK, "hip_lateral", TRUNK + 8, "buttock", ILIAC_CREST, "iliac_crest_posterior",
        ILIAC_CREST + 8, "low_back", MID),
    row(212, 226, TRUNK, "hip_lateral", TRUNK + 8, "buttock", SACRUM_EDGE - 6, "sacroiliac",
        SACRUM_EDGE, "sacrum", MID),
    row(226, 236, TRUNK, "hip_lateral", TRUNK + 8, "buttock", 95.5, "coccyx", MID),
)  # fmt: skip

EAR_PART = (row(28, 45, EAR, "ear", UPPER),)

ARM = (
    row(112, 178, ARM_OUT, "upper_arm_lateral", ARM_OUT + 7, "upper_arm_posterior", ARM_IN),
    row(178, 196, ARM_OUT, "elbow_lateral", lerp(ARM_OUT, ARM_IN, 0.3), "elbow_posterior",
        lerp(ARM_OUT, ARM_IN, 0.7), "elbow_medial", ARM_IN),
    row(196, 254, ARM_OUT, "forearm_radial", lerp(ARM_OUT, ARM_IN, 0.28), "forearm_dorsal",
        lerp(ARM_OUT, ARM_IN, 0.72), "forearm_ulnar", ARM_IN),
    row(254, 264, ARM_OUT, "wrist_dorsal", ARM_IN),
    row(264, 290, THUMB_OUT, "thumb", ARM_OUT + 2.5, "hand_dorsal", ARM_IN),
    row(290, 307.5, THUMB_OUT, "thumb", THUMB_IN, GAP, ARM_OUT, "fingers_radial", FINGER_SPLIT,
        "fingers_ulnar", ARM_IN),
    row(307.5, 313, RADIAL_OUT, "fingers_radial", FINGER_SPLIT, "fingers_ulnar", ARM_IN),
    row(313, 318, RADIAL_OUT, "fingers_radial", RADIAL_IN, GAP, ULNAR_OUT, "fingers_ulnar",
        ULNAR_IN),
    row(318, 323, RADIAL_OUT, "fingers_radial", RADIAL_IN),
)  # fmt: skip

LEG = (
    row(236, 258, LEG_OUT, "thigh_lateral", LEG_OUT + 7, "buttock_lower", LEG_IN),
    row(258, 306, LEG_OUT, "thigh_lateral", LEG_OUT + 7, "thigh_posterior", LEG_IN),
    row(306, 336, LEG_OUT, "knee_lateral", LEG_OUT + 6.5, "knee_posterior", LEG_IN - 6.5,
        "knee_medial", LEG_IN),
    row(336, 396, LEG_OUT, "leg_lateral", LEG_OUT + 6.5, "calf", LEG_IN),
    row(396, 412, LEG_OUT, "ankle_lateral", ANKLE_OUTER_STRIP, "achilles", ANKLE_INNER_STRIP,
        "ankle_medial", LEG_IN),
    row(412, 428, LEG_OUT, "foot_lateral", ANKLE_OUTER_STRIP, "heel", LEG_IN),
    row(428, 433, LEG_OUT, "toes_lesser", TOE_SPLIT, "big_toe", LEG_IN),
    row(433, 441, LESSER_TOES_OUT, "toes_lesser", LESSER_TOES_IN, GAP, BIG_TOE_OUT, "big_toe",
        BIG_TOE_IN),
    row(441, 443, BIG_TOE_OUT, "big_toe", BIG_TOE_IN),
)  # fmt: skip

SOLE = (
    row(446, 462, SOLE_OUT, "sole_arch", SOLE_IN),
    row(462, 479, SOLE_OUT, "sole_forefoot", SOLE_IN),
)

PARTS = {"axial": AXIAL, "ear": EAR_PART, "arm": ARM, "leg": LEG, "sole": SOLE}
