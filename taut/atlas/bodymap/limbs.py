"""The arm and the leg, viewer's left half, for both figures.

The limbs have the same outline and the same strips front and back; what changes is the
face we see, so each figure names the middle strip of each row (the palm or the back of
the hand, the shin or the calf) and draws its own top row: the upper arm and the thigh are
divided differently on the two sides of the body.
"""

from taut.atlas.bodymap.geometry import GAP, Row, lerp, row
from taut.atlas.bodymap.silhouette import (
    ANKLE_INNER_STRIP,
    ANKLE_OUTER_STRIP,
    ARM_IN,
    ARM_OUT,
    BIG_TOE_IN,
    BIG_TOE_OUT,
    FINGER_SPLIT,
    LEG_IN,
    LEG_OUT,
    LESSER_TOES_IN,
    LESSER_TOES_OUT,
    RADIAL_IN,
    RADIAL_OUT,
    THUMB_IN,
    THUMB_OUT,
    TOE_SPLIT,
    ULNAR_IN,
    ULNAR_OUT,
)


def arm(*upper_arm: Row, elbow: str, forearm: str, wrist: str, hand: str) -> tuple[Row, ...]:
    """The arm from the shoulder (``upper_arm``, y 112 to 178) to the fingertips; the
    keywords name the middle strip of the elbow and forearm, the wrist and the hand."""
    return (
        *upper_arm,
        row(
            178,
            196,
            ARM_OUT,
            "elbow_lateral",
            lerp(ARM_OUT, ARM_IN, 0.3),
            elbow,
            lerp(ARM_OUT, ARM_IN, 0.7),
            "elbow_medial",
            ARM_IN,
        ),
        row(
            196,
            254,
            ARM_OUT,
            "forearm_radial",
            lerp(ARM_OUT, ARM_IN, 0.28),
            forearm,
            lerp(ARM_OUT, ARM_IN, 0.72),
            "forearm_ulnar",
            ARM_IN,
        ),
        row(254, 264, ARM_OUT, wrist, ARM_IN),
        row(264, 290, THUMB_OUT, "thumb", ARM_OUT + 2.5, hand, ARM_IN),
        row(
            290,
            307.5,
            THUMB_OUT,
            "thumb",
            THUMB_IN,
            GAP,
            ARM_OUT,
            "fingers_radial",
            FINGER_SPLIT,
            "fingers_ulnar",
            ARM_IN,
        ),
        row(307.5, 313, RADIAL_OUT, "fingers_radial", FINGER_SPLIT, "fingers_ulnar", ARM_IN),
        row(
            313,
            318,
            RADIAL_OUT,
            "fingers_radial",
            RADIAL_IN,
            GAP,
            ULNAR_OUT,
            "fingers_ulnar",
            ULNAR_IN,
        ),
        row(318, 323, RADIAL_OUT, "fingers_radial", RADIAL_IN),
    )


def leg(*thigh: Row, knee: str, lower_leg: str, ankle: str, foot: str) -> tuple[Row, ...]:
    """The leg from the hip (``thigh``, y 236 to 306) to the toes; the keywords name the
    middle strip of the knee, the lower leg, the ankle and the foot."""
    return (
        *thigh,
        row(
            306,
            336,
            LEG_OUT,
            "knee_lateral",
            LEG_OUT + 6.5,
            knee,
            LEG_IN - 6.5,
            "knee_medial",
            LEG_IN,
        ),
        row(336, 396, LEG_OUT, "leg_lateral", LEG_OUT + 6.5, lower_leg, LEG_IN),
        row(
            396,
            412,
            LEG_OUT,
            "ankle_lateral",
            ANKLE_OUTER_STRIP,
            ankle,
            ANKLE_INNER_STRIP,
            "ankle_medial",
            LEG_IN,
        ),
        row(412, 428, LEG_OUT, "foot_lateral", ANKLE_OUTER_STRIP, foot, LEG_IN),
        row(428, 433, LEG_OUT, "toes_lesser", TOE_SPLIT, "big_toe", LEG_IN),
        row(
            433,
            441,
            LESSER_TOES_OUT,
            "toes_lesser",
            LESSER_TOES_IN,
            GAP,
            BIG_TOE_OUT,
            "big_toe",
            BIG_TOE_IN,
        ),
        row(441, 443, BIG_TOE_OUT, "big_toe", BIG_TOE_IN),
    )
