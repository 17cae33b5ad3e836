"""The body map's places in plain words, as a patient reads them (pre-visit intake, the
portal's body map and its list).

The atlas names places as clinicians do ("Upper back of neck / base of skull
(suboccipital)"); a patient reads "Back of the neck, just under the skull". One entry per
atlas region (``taut.clinical.atlas.REGIONS``; a test keeps them complete), at about a
12-year-old's reading level like the other patient texts. The wording is Taut's.
"""

from collections.abc import Mapping

VERSION = "2026.1"

# fmt: off
PATIENT_AREA_LABELS: Mapping[str, str] = {
    "head_vertex": "Top of the head",
    "head_frontal": "Forehead",
    "head_temporal": "Side of the head, at the temple",
    "head_occipital": "Back of the head",
    "eye_orbital": "Eye, eyebrow, or behind the eye",
    "ear": "Ear, or just behind the ear",
    "cheek_maxillary": "Cheek",
    "tmj": "Jaw joint, just in front of the ear",
    "jaw_mandible": "Lower jaw or chin",
    "teeth_upper": "Top teeth or gums",
    "teeth_lower": "Bottom teeth or gums",
    "throat": "Throat or tongue",
    "neck_anterior": "Front of the neck, at the side",
    "neck_lateral": "Side of the neck",
    "neck_posterior_upper": "Back of the neck, just under the skull",
    "neck_posterior_lower": "Back of the neck, low down",
    "shoulder_top": "Top of the shoulder",
    "shoulder_anterior": "Front of the shoulder",
    "shoulder_lateral": "Outside of the shoulder",
    "shoulder_posterior": "Back of the shoulder",
    "axilla": "Armpit",
    "scapula_supraspinous": "Top of the shoulder blade",
    "scapula_infraspinous": "Middle of the shoulder blade",
    "scapula_medial_border": "Inner edge of the shoulder blade, near the spine",
    "scapula_inferior_angle": "Bottom tip of the shoulder blade",
    "thoracic_upper": "Upper back, between the shoulder blades",
    "upper_arm_anterior": "Front of the upper arm",
    "upper_arm_lateral": "Outside of the upper arm",
    "upper_arm_posterior": "Back of the upper arm",
    "upper_arm_medial": "Inside of the upper arm",
    "elbow_anterior": "Front of the elbow, in the bend",
    "elbow_lateral": "Outside of the elbow",
    "elbow_medial": "Inside of the elbow",
    "elbow_posterior": "Back of the elbow, the bony point",
    "forearm_dorsal": "Back of the forearm",
    "forearm_volar": "Front of the forearm, palm side",
    "forearm_radial": "Forearm, thumb side",
    "forearm_ulnar": "Forearm, little finger side",
    "wrist_dorsal": "Back of the wrist",
    "wrist_volar": "Wrist, palm side",
    "hand_dorsal": "Back of the hand",
    "palm": "Palm of the hand",
    "thumb": "Thumb, or the pad at its base",
    "fingers_radial": "Pointer or middle finger",
    "fingers_ulnar": "Ring or little finger",
    "chest_anterior": "Front of the chest",
    "sternum": "Breastbone, in the middle of the chest",
    "chest_lateral": "Side of the chest, below the armpit",
    "epigastric": "Top of the belly, under the breastbone",
    "abdomen_upper_quadrant": "Upper belly, on one side",
    "periumbilical": "Around the belly button",
    "abdomen_lower_quadrant": "Lower belly, on one side",
    "suprapubic": "Low in the belly, just above the private parts",
    "flank": "Side of the waist, between the ribs and the hip",
    "groin": "Groin, where the leg joins the body",
    "genital_perineal": "Private parts",
    "thoracic_lower": "Middle of the back, below the shoulder blades",
    "low_back": "Low back",
    "iliac_crest_posterior": "Back of the hip bone, at the top edge",
    "sacroiliac": "Low back, at the dimples above the buttocks",
    "sacrum": "Flat bone at the base of the spine",
    "coccyx": "Tailbone",
    "buttock": "Buttock",
    "buttock_lower": "Lower buttock, where you sit",
    "hip_lateral": "Outside of the hip",
    "hip_anterior": "Front of the hip",
    "thigh_anterior": "Front of the thigh",
    "thigh_medial": "Inside of the thigh",
    "thigh_lateral": "Outside of the thigh",
    "thigh_posterior": "Back of the thigh",
    "knee_anterior": "Front of the knee, or the kneecap",
    "knee_medial": "Inside of the knee",
    "knee_lateral": "Outside of the knee",
    "knee_posterior": "Back of the knee",
    "shin": "Shin, the front of the lower leg",
    "leg_lateral": "Outside of the lower leg",
    "calf": "Calf, the back of the lower leg",
    "ankle_anterior": "Front of the ankle",
    "ankle_medial": "Inside of the ankle",
    "ankle_lateral": "Outside of the ankle",
    "achilles": "Back of the ankle, above the heel",
    "heel": "Heel",
    "foot_dorsal": "Top of the foot",
    "foot_lateral": "Outside edge of the foot",
    "sole_arch": "Sole of the foot, at the arch",
    "sole_forefoot": "Ball of the foot",
    "big_toe": "Big toe",
    "toes_lesser": "Small toes",
}
# fmt: on


def patient_area_label(region_id: str) -> str:
    """A place as the patient reads it. Not a rule: Taut's own wording of an atlas region."""
    return PATIENT_AREA_LABELS[region_id]
