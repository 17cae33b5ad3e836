"""The body's outline edges, viewer's left half, shared by the front and back figures.

Coordinates are in a 200 x 480 viewBox; the midline is x = 100. The figure stands in the
anatomical position: arms a little away from the body, palms forward, thumbs outward.
"""

import math

from taut.atlas.bodymap.geometry import Edge, bulge, curve, lerp, line, rounded

WIDTH, HEIGHT = 200, 480
MID = 100.0

_HEAD_TOP, _HEAD_HALF_WIDTH, _CROWN_END = 4.0, 23.0, 28.0


def _crown(y: float) -> float:
    t = min(max((_CROWN_END - y) / (_CROWN_END - _HEAD_TOP), 0.0), 1.0)
    return MID - _HEAD_HALF_WIDTH * math.sqrt(1 - t * t)


_BELOW_CROWN = curve(
    (28, 77),
    (36, 77.4),
    (42, 78.6),
    (47, 81.2),
    (50, 83),
    (53, 84.3),
    (56, 84.7),
    (62, 84.7),
    (66, 84),
    (70, 80.6),
    (74, 74),
    (78, 65.5),
    (82, 57),
    (86, 49.5),
    (90, 44.5),
    (96, 41.6),
    (104, 40.7),
    (112, 40.3),
)

# Head, neck, trapezius slope and deltoid, from the crown to the armpit (y 4-112).
UPPER = Edge(lambda y: _crown(y) if y < _CROWN_END else _BELOW_CROWN(y))

NECK_BASE = line(UPPER(64), 64, 88.5, 82)  # where the neck ends and the trapezius ridge starts

# Side of the trunk from the armpit to the top of the thigh (y 112-236).
TRUNK = curve(
    (112, 60.5),
    (120, 60),
    (132, 60.3),
    (146, 62),
    (160, 64.3),
    (174, 66.5),
    (184, 66.6),
    (194, 65),
    (204, 62.5),
    (214, 60),
    (224, 59),
    (236, 60),
)

# Arm, wrist and hand (y 112-323): outer (lateral, thumb side) and inner (medial) edges.
ARM_OUT = curve(
    (112, 40.3),
    (124, 37.9),
    (140, 35.2),
    (160, 32.3),
    (180, 29.6),
    (190, 28.3),
    (205, 26.6),
    (225, 24.9),
    (245, 23.4),
    (258, 22.8),
    (266, 22),
    (278, 21),
    (290, 21.2),
    (300, 21.8),
    (310, 22.8),
    (318, 24),
    (323, 25),
)
ARM_IN = curve(
    (112, 60.5),
    (116, 59),
    (124, 57.6),
    (140, 56.2),
    (160, 54),
    (180, 51.5),
    (190, 50.4),
    (205, 48.6),
    (225, 45),
    (245, 41.6),
    (258, 40),
    (266, 40.5),
    (278, 41),
    (290, 40.6),
    (300, 39.8),
    (310, 38.6),
    (316, 37.8),
    (323, 37),
)
FINGER_SPLIT = lerp(ARM_OUT, ARM_IN, 0.5)  # index & middle | ring & little
# The thumb: thenar eminence along the palm, then the digit, free of the index finger below
# the web space (y 290), its tip pointing down and out.
THUMB_OUT, THUMB_IN = rounded(
    curve((264, ARM_OUT(264)), (272, 19.2), (280, 16.8), (288, 15.6), (298, 15.8), (307, 17)),
    curve((290, 19.6), (300, 19.8), (307, 19.4)),
    303,
    307.5,
)
RADIAL_OUT, RADIAL_IN = rounded(ARM_OUT, FINGER_SPLIT, 318, 323)
ULNAR_OUT, ULNAR_IN = rounded(FINGER_SPLIT, ARM_IN, 313.5, 318)

# Leg, ankle and foot (y 236-443), the ankle bones standing out a little.
_LEG_OUT = curve(
    (236, 60),
    (250, 61),
    (270, 63.5),
    (290, 66.5),
    (308, 69.5),
    (320, 70.5),
    (332, 70.3),
    (344, 69.6),
    (356, 70),
    (372, 72.3),
    (390, 75),
    (400, 76.3),
    (410, 76),
    (418, 74.3),
    (426, 72.8),
    (432, 72.4),
    (436, 72.6),
    (443, 73.5),
)
_LEG_IN = curve(
    (236, 100),
    (240, 99.6),
    (250, 98.6),
    (270, 97),
    (290, 95.2),
    (308, 94),
    (320, 94),
    (332, 94.3),
    (344, 95),
    (356, 94.8),
    (372, 93.2),
    (390, 91.8),
    (400, 91.5),
    (410, 92),
    (418, 93),
    (426, 94.3),
    (432, 94.6),
    (436, 94.6),
    (443, 94),
)
LEG_OUT = bulge(_LEG_OUT, 394, 414, depth=2.6)
LEG_IN = bulge(_LEG_IN, 392, 410, depth=-2.4)
ANKLE_OUTER_STRIP = _LEG_OUT + 5  # inner edges of the outer and inner ankle and foot strips
ANKLE_INNER_STRIP = _LEG_IN - 5
TOE_SPLIT = lerp(_LEG_OUT, _LEG_IN, 0.62)  # lesser toes | big toe
LESSER_TOES_OUT, LESSER_TOES_IN = rounded(_LEG_OUT, TOE_SPLIT, 433, 441)
BIG_TOE_OUT, BIG_TOE_IN = rounded(TOE_SPLIT, _LEG_IN, 433, 443)

EAR = bulge(UPPER, 28, 45, depth=7)

# The sole inset below the back figure's foot (y 446-479): midfoot and forefoot of the left
# sole seen from behind, toes down; the heel is drawn on the foot itself.
SOLE_OUT, SOLE_IN = rounded(
    curve(
        (446, 80.6), (447, 79.4), (449, 78.8), (458, 77.9), (466, 76.8), (473, 76.4), (479, 77.6)
    ),
    curve((446, 88), (447, 89.2), (449, 89.4), (455, 88.6), (462, 90.2), (468, 92.2), (479, 92.4)),
    472,
    479,
)
