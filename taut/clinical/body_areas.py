"""The body map's places in plain words, as a patient reads them (pre-visit intake, the
portal's body map and its list).

The atlas names places as clinicians do ("Upper back of neck / base of skull
(suboccipital)"); a patient reads "Back of the neck, just under the skull". One entry per
atlas region (``taut.clinical.atlas.REGIONS``; a test keeps them complete), at about a
12-year-old's reading level like the other patient texts. The wording is Taut's.

Each label is marked for the translation catalogue (``taut.clinical.wording``); the portal
shows it in the patient's language with ``gettext`` (``taut.atlas.display.place_label``).
"""

from collections.abc import Mapping

from taut.clinical.wording import gettext_noop as _

VERSION = "2026.2"  # 2026.2: marked for the Spanish catalogue (issue 14)

# fmt: off
PATIENT_AREA_LABELS: Mapping[str, str] = {
    "head_vertex": _("Top of the head"),
    "head_frontal": _("Forehead"),
    "head_temporal": _("Side of the head, at the temple"),
    "head_occipital": _("Back of the head"),
    "eye_orbital": _("Eye, eyebrow, or behind the eye"),
    "ear": _("Ear, or just behind the ear"),
    "cheek_maxillary": _("Cheek"),
    "tmj": _("Jaw joint, just in front of the ear"),
    "jaw_mandible": _("Lower jaw or chin"),
    "teeth_upper": _("Top teeth or gums"),
    "teeth_lower": _("Bottom teeth or gums"),
    "throat": _("Throat or tongue"),
    "neck_anterior": _("Front of the neck, at the side"),
    "neck_lateral": _("Side of the neck"),
    "neck_posterior_upper": _("Back of the neck, just under the skull"),
    "neck_posterior_lower": _("Back of the neck, low down"),
    "shoulder_top": _("Top of the shoulder"),
    "shoulder_anterior": _("Front of the shoulder"),
    "shoulder_lateral": _("Outside of the shoulder"),
    "shoulder_posterior": _("Back of the shoulder"),
    "axilla": _("Armpit"),
    "scapula_supraspinous": _("Top of the shoulder blade"),
    "scapula_infraspinous": _("Middle of the shoulder blade"),
    "scapula_medial_border": _("Inner edge of the shoulder blade, near the spine"),
    "scapula_inferior_angle": _("Bottom tip of the shoulder blade"),
    "thoracic_upper": _("Upper back, between the shoulder blades"),
    "upper_arm_anterior": _("Front of the upper arm"),
    "upper_arm_lateral": _("Outside of the upper arm"),
    "upper_arm_posterior": _("Back of the upper arm"),
    "upper_arm_medial": _("Inside of the upper arm"),
    "elbow_anterior": _("Front of the elbow, in the bend"),
    "elbow_lateral": _("Outside of the elbow"),
    "elbow_medial": _("Inside of the elbow"),
    "elbow_posterior": _("Back of the elbow, the bony point"),
    "forearm_dorsal": _("Back of the forearm"),
    "forearm_volar": _("Front of the forearm, palm side"),
    "forearm_radial": _("Forearm, thumb side"),
    "forearm_ulnar": _("Forearm, little finger side"),
    "wrist_dorsal": _("Back of the wrist"),
    "wrist_volar": _("Wrist, palm side"),
    "hand_dorsal": _("Back of the hand"),
    "palm": _("Palm of the hand"),
    "thumb": _("Thumb, or the pad at its base"),
    "fingers_radial": _("Pointer or middle finger"),
    "fingers_ulnar": _("Ring or little finger"),
    "chest_anterior": _("Front of the chest"),
    "sternum": _("Breastbone, in the middle of the chest"),
    "chest_lateral": _("Side of the chest, below the armpit"),
    "epigastric": _("Top of the belly, under the breastbone"),
    "abdomen_upper_quadrant": _("Upper belly, on one side"),
    "periumbilical": _("Around the belly button"),
    "abdomen_lower_quadrant": _("Lower belly, on one side"),
    "suprapubic": _("Low in the belly, just above the private parts"),
    "flank": _("Side of the waist, between the ribs and the hip"),
    "groin": _("Groin, where the leg joins the body"),
    "genital_perineal": _("Private parts"),
    "thoracic_lower": _("Middle of the back, below the shoulder blades"),
    "low_back": _("Low back"),
    "iliac_crest_posterior": _("Back of the hip bone, at the top edge"),
    "sacroiliac": _("Low back, at the dimples above the buttocks"),
    "sacrum": _("Flat bone at the base of the spine"),
    "coccyx": _("Tailbone"),
    "buttock": _("Buttock"),
    "buttock_lower": _("Lower buttock, where you sit"),
    "hip_lateral": _("Outside of the hip"),
    "hip_anterior": _("Front of the hip"),
    "thigh_anterior": _("Front of the thigh"),
    "thigh_medial": _("Inside of the thigh"),
    "thigh_lateral": _("Outside of the thigh"),
    "thigh_posterior": _("Back of the thigh"),
    "knee_anterior": _("Front of the knee, or the kneecap"),
    "knee_medial": _("Inside of the knee"),
    "knee_lateral": _("Outside of the knee"),
    "knee_posterior": _("Back of the knee"),
    "shin": _("Shin, the front of the lower leg"),
    "leg_lateral": _("Outside of the lower leg"),
    "calf": _("Calf, the back of the lower leg"),
    "ankle_anterior": _("Front of the ankle"),
    "ankle_medial": _("Inside of the ankle"),
    "ankle_lateral": _("Outside of the ankle"),
    "achilles": _("Back of the ankle, above the heel"),
    "heel": _("Heel"),
    "foot_dorsal": _("Top of the foot"),
    "foot_lateral": _("Outside edge of the foot"),
    "sole_arch": _("Sole of the foot, at the arch"),
    "sole_forefoot": _("Ball of the foot"),
    "big_toe": _("Big toe"),
    "toes_lesser": _("Small toes"),
}
# fmt: on


def patient_area_label(region_id: str) -> str:
    """A place as the patient reads it. Not a rule: Taut's own wording of an atlas region."""
    return PATIENT_AREA_LABELS[region_id]
