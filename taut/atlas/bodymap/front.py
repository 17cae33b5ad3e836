"""The front figure, viewer's left half (the patient's RIGHT side: the figure faces us)."""

from taut.atlas.bodymap import limbs
from taut.atlas.bodymap.geometry import Edge, curve, lerp, line, lowest, row
from taut.atlas.bodymap.silhouette import (
    ARM_IN,
    ARM_OUT,
    EAR,
    LEG_IN,
    LEG_OUT,
    MID,
    NECK_BASE,
    TRUNK,
    UPPER,
)

# The underside of the jaw, from its angle (on the outline at y 47) to the chin (y 60).
JAW = Edge(lambda y: MID - (MID - UPPER(47)) * (max(60 - y, 0) / 13) ** 0.5)
SCM_OUT = line(88.2, 52, 92, 82)  # sternocleidomastoid, outer and inner borders
SCM_IN = line(91.8, 52, 96.4, 82)
RIB_MARGIN = line(94.5, 146, 87, 172)  # the epigastrium widens below the breastbone
NAVEL_AREA = curve((172, 91.5), (188, 88), (204, 91.5))
PUBIS = line(88, 204, 90.5, 220)  # the suprapubic area narrows down to the genitals
GROIN = line(TRUNK(204) + 8, 204, 93.5, 230)  # inguinal crease, hip to pubis

AXIAL = (
    row(4, 14, UPPER, "head_vertex", MID),
    row(14, 25, UPPER, "head_temporal", UPPER + 6.5, "head_frontal", MID),
    row(25, 31, UPPER, "head_temporal", UPPER + 6.5, "eye_orbital", 96.5, "head_frontal", MID),
    row(31, 34, UPPER, "head_temporal", UPPER + 6.5, "eye_orbital", 96.5, "cheek_maxillary", MID),
    row(34, 37, UPPER, "head_temporal", UPPER + 6.5, "cheek_maxillary", MID),
    row(37, 43.5, UPPER, "tmj", UPPER + 6.5, "cheek_maxillary", MID),
    row(43.5, 47, UPPER, "jaw_mandible", 89, "teeth_upper", MID),
    row(
        47,
        48.5,
        UPPER,
        "neck_lateral",
        lowest(SCM_OUT, JAW),
        "neck_anterior",
        JAW,
        "jaw_mandible",
        89,
        "teeth_upper",
        MID,
    ),
    row(
        48.5,
        53.5,
        UPPER,
        "neck_lateral",
        lowest(SCM_OUT, JAW),
        "neck_anterior",
        JAW,
        "jaw_mandible",
        89,
        "teeth_lower",
        MID,
    ),
    row(
        53.5,
        60,
        UPPER,
        "neck_lateral",
        lowest(SCM_OUT, JAW),
        "neck_anterior",
        JAW,
        "jaw_mandible",
        MID,
    ),
    row(60, 64, UPPER, "neck_lateral", SCM_OUT, "neck_anterior", SCM_IN, "throat", MID),
    row(
        64,
        82,
        UPPER,
        "shoulder_top",
        NECK_BASE,
        "neck_lateral",
        SCM_OUT,
        "neck_anterior",
        SCM_IN,
        "throat",
        MID,
    ),
    row(
        82,
        112,
        UPPER,
        "shoulder_lateral",
        UPPER + 7,
        "shoulder_anterior",
        68,
        "chest_anterior",
        94.5,
        "sternum",
        MID,
    ),
    row(112, 128, TRUNK, "axilla", 68, "chest_anterior", 94.5, "sternum", MID),
    row(128, 146, TRUNK, "chest_lateral", TRUNK + 8, "chest_anterior", 94.5, "sternum", MID),
    row(
        146,
        172,
        TRUNK,
        "chest_lateral",
        TRUNK + 8,
        "abdomen_upper_quadrant",
        RIB_MARGIN,
        "epigastric",
        MID,
    ),
    row(
        172,
        186,
        TRUNK,
        "flank",
        TRUNK + 8,
        "abdomen_upper_quadrant",
        NAVEL_AREA,
        "periumbilical",
        MID,
    ),
    row(
        186,
        204,
        TRUNK,
        "flank",
        TRUNK + 8,
        "abdomen_lower_quadrant",
        NAVEL_AREA,
        "periumbilical",
        MID,
    ),
    row(
        204,
        220,
        TRUNK,
        "hip_lateral",
        TRUNK + 8,
        "hip_anterior",
        GROIN,
        "groin",
        lowest(GROIN + 7, PUBIS),
        "abdomen_lower_quadrant",
        PUBIS,
        "suprapubic",
        MID,
    ),
    row(
        220,
        236,
        TRUNK,
        "hip_lateral",
        TRUNK + 8,
        "hip_anterior",
        lowest(GROIN, 93.5),
        "groin",
        93.5,
        "genital_perineal",
        MID,
    ),
)

EAR_PART = (row(28, 45, EAR, "ear", UPPER),)

ARM = limbs.arm(
    row(
        112,
        178,
        ARM_OUT,
        "upper_arm_lateral",
        ARM_OUT + 7,
        "upper_arm_anterior",
        lerp(ARM_OUT, ARM_IN, 0.68),
        "upper_arm_medial",
        ARM_IN,
    ),
    elbow="elbow_anterior",
    forearm="forearm_volar",
    wrist="wrist_volar",
    hand="palm",
)

LEG = limbs.leg(
    row(
        236,
        306,
        LEG_OUT,
        "thigh_lateral",
        LEG_OUT + 7,
        "thigh_anterior",
        lerp(LEG_OUT, LEG_IN, 0.7),
        "thigh_medial",
        LEG_IN,
    ),
    knee="knee_anterior",
    lower_leg="shin",
    ankle="ankle_anterior",
    foot="foot_dorsal",
)

PARTS = {"axial": AXIAL, "ear": EAR_PART, "arm": ARM, "leg": LEG}
