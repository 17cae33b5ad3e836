"""What to discuss before trigger point injection, and what to confirm at the time-out.

``required_risks(sites, steroid=…)`` lists the risks to discuss for a planned set of sites:
eight general risks always (among them local anaesthetic toxicity, allergic reaction and
injection into a blood vessel), pneumothorax when any site lies over the lung (chest wall,
thorax, neck), and a steroid's effects when a steroid is planned. Which atlas muscles count is data (``PNEUMOTHORAX_MUSCLES``), and every
atlas muscle is placed on one side of that line (a test keeps it complete).

``TIME_OUT_ITEMS`` are the checks made aloud just before the first injection.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
Status words: "verified" (seen in the source), "secondary" (seen only in a summary of it),
"unverified" (not in the reference; clinic policy until a clinical lead signs it off).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from taut.clinical.atlas import SITES, STRUCTURES
from taut.clinical.sites import Side, parse_sites

VERSION = "2026.2"  # the risks; issue 15 only reads ligament and tendon sites too


class Risk(StrEnum):
    BLEEDING = "bleeding"
    INFECTION = "infection"
    SORENESS = "soreness"
    VASOVAGAL = "vasovagal"
    NERVE_INJURY = "nerve_injury"
    PNEUMOTHORAX = "pneumothorax"
    ALLERGY = "allergy"
    INTRAVASCULAR = "intravascular"
    LAST = "last"
    STEROID = "steroid"

    @property
    def label(self) -> str:
        return RISKS[self].label


@dataclass(frozen=True)
class RiskInfo:
    """One risk: a short ``label``, the plain words to say, its source and status."""

    risk: Risk
    label: str
    text: str
    source: str
    status: str


# fmt: off
RISKS: Mapping[Risk, RiskInfo] = MappingProxyType({
    Risk.BLEEDING: RiskInfo(
        Risk.BLEEDING, "Bleeding or bruising",
        "Bleeding or a bruise (haematoma) where the needle went in; more likely with blood "
        "thinners or a bleeding disorder.",
        "[S8b], [S9]", "verified",
    ),
    Risk.INFECTION: RiskInfo(
        Risk.INFECTION, "Infection",
        "An infection of the skin where the needle went in.",
        "[S13]", "verified",
    ),
    Risk.SORENESS: RiskInfo(
        Risk.SORENESS, "Soreness",
        "Soreness starting a few hours after the injection; the pain can come back or be worse "
        "for 1–3 days.",
        "[S10], [S13]", "verified",
    ),
    Risk.VASOVAGAL: RiskInfo(
        Risk.VASOVAGAL, "Fainting (vasovagal reaction)",
        "Feeling dizzy or faint, or fainting, during or just after the injection.",
        "[S13]", "verified",
    ),
    Risk.NERVE_INJURY: RiskInfo(
        Risk.NERVE_INJURY, "Nerve irritation or injury",
        "Numbness for a while after the injection; rarely, injury to a nerve near the site.",
        # Temporary numbness [S13] and neurovascular structures under unsafe sites [S9] are
        # seen; nerve injury as a named complication is only in the atlas's injection-risk
        # notes, which are secondary.
        "[S13], [S9]; atlas injection-risk notes", "secondary",
    ),
    Risk.PNEUMOTHORAX: RiskInfo(
        Risk.PNEUMOTHORAX, "Collapsed lung (pneumothorax)",
        "At sites over the chest, back or neck the needle can reach the lung and let air "
        "leak around it (a collapsed lung), which may need treatment in hospital. Thin "
        "people are at higher risk.",
        "[S9], [S14], [S12], [S11]", "verified",
    ),
    Risk.ALLERGY: RiskInfo(
        Risk.ALLERGY, "Allergic reaction",
        "You could be allergic to the numbing drug or to something else in it. Signs are a "
        "rash, itching, swelling, or trouble breathing.",
        # Allergy to the planned anaesthetic is a hard stop [S9]; the reaction itself as a
        # risk to discuss is Taut's reading of it.
        "[S9] (allergy to the planned anaesthetic)", "secondary",
    ),
    Risk.INTRAVASCULAR: RiskInfo(
        Risk.INTRAVASCULAR, "Injection into a blood vessel",
        "The needle can go into a small blood vessel. We pull back on the syringe before we "
        "inject to check for this.",
        "[S8a] (intravascular injection; aspirate before injecting)", "verified",
    ),
    Risk.LAST: RiskInfo(
        Risk.LAST, "Local anaesthetic toxicity (LAST)",
        "Rarely, too much numbing medicine gets into the blood. Early signs are a numb mouth, "
        "a metal taste, ringing ears or feeling dizzy; it can cause fits or heart problems. "
        "We watch you for a while after the last injection.",
        "[S29b] (signs and onset), [S33] (incidence), [S8a]", "verified",
    ),
    Risk.STEROID: RiskInfo(
        Risk.STEROID, "Steroid side effects",
        "If we use a steroid, the skin where it went in can get thin or light. Your face may "
        "get red and hot (flushing). Your blood sugar can go up for a few days. Your periods "
        "can change.",
        # Raised blood sugar and skin or fat atrophy are seen [S9], [S22]; flushing, skin
        # colour change and menstrual changes are from the steroid labels, from memory.
        "[S9], [S22] (blood sugar, skin thinning); flushing, colour and periods: steroid "
        "labels (memory)", "unverified",
    ),
})
# fmt: on

GENERAL_RISKS: tuple[Risk, ...] = (
    Risk.BLEEDING,
    Risk.INFECTION,
    Risk.SORENESS,
    Risk.VASOVAGAL,
    Risk.NERVE_INJURY,
    Risk.ALLERGY,
    Risk.INTRAVASCULAR,
    Risk.LAST,
)

# Atlas muscles over the lung, where pneumothorax is a risk to discuss. The rule: every
# neck, thoracic and chest-wall muscle (clinical.md §3: avoid deep insertion over the
# thoracic or cervical back [S12], [S11]; intercostal and chest-wall sites, and bilateral
# pneumothoraces after trapezius TPI [S9], [S14]), plus every other muscle whose atlas
# injection-risk note names the lung, pleura, pneumothorax or the chest wall beneath it
# (scapular muscles over the ribs; the lumbar muscles under which the pleura can reach
# below the 12th rib). The grouping is Taut's own, erring toward discussing the risk.
# fmt: off
PNEUMOTHORAX_MUSCLES: frozenset[str] = frozenset({
    # Neck (cervical region). The upper-neck muscles are kept by the region rule.
    "sternocleidomastoid", "trapezius_upper", "scalenes", "levator_scapulae",
    "splenius_capitis", "splenius_cervicis", "suboccipitals", "semispinalis_capitis",
    "cervical_multifidi",
    # Scapular muscles over the ribs and intercostal spaces.
    "trapezius_middle", "trapezius_lower", "rhomboids", "supraspinatus", "infraspinatus",
    "teres_major", "subscapularis", "serratus_posterior_superior",
    # Thoracic back.
    "latissimus_dorsi", "iliocostalis_thoracis", "longissimus_thoracis",
    "serratus_posterior_inferior",
    # Chest wall.
    "pectoralis_major", "pectoralis_minor", "serratus_anterior", "subclavius", "intercostals",
    # Lumbar, where the pleura can extend below the 12th rib.
    "iliocostalis_lumborum", "quadratus_lumborum",
})

# Every other atlas muscle: head and face, shoulder and limbs, abdomen, low back (the
# lumbar multifidi lie beside the lamina, below the pleura), hip and buttock.
NO_PNEUMOTHORAX_MUSCLES: frozenset[str] = frozenset({
    "temporalis", "masseter", "lateral_pterygoid", "medial_pterygoid", "digastric",
    "occipitalis",
    "teres_minor", "deltoid", "coracobrachialis",
    "biceps_brachii", "brachialis", "triceps_brachii", "anconeus", "brachioradialis",
    "extensor_carpi_radialis", "extensor_carpi_ulnaris", "extensor_digitorum", "supinator",
    "wrist_flexors", "finger_flexors", "palmaris_longus", "pronator_teres",
    "adductor_pollicis", "opponens_pollicis", "first_dorsal_interosseous",
    "lumbar_multifidi", "rectus_abdominis", "abdominal_obliques", "iliopsoas",
    "gluteus_maximus", "gluteus_medius", "gluteus_minimus", "piriformis",
    "tensor_fasciae_latae",
    "rectus_femoris", "vastus_medialis", "vastus_lateralis", "vastus_intermedius",
    "adductor_longus_brevis", "adductor_magnus", "pectineus", "gracilis", "sartorius",
    "hamstrings_medial", "biceps_femoris",
    "gastrocnemius", "soleus", "popliteus", "tibialis_anterior", "fibularis_longus_brevis",
    "fibularis_tertius", "tibialis_posterior", "extensor_digitorum_longus",
    "extensor_hallucis_longus", "flexor_digitorum_longus", "flexor_hallucis_longus",
    "abductor_hallucis", "flexor_digitorum_brevis", "quadratus_plantae",
    "extensor_digitorum_brevis",
})

# Ligament and tendon sites (issue 15) over the lung: none. The low-back and pelvic
# ligaments lie below the pleura, the elbow, hip, knee and foot sites far from it, and the
# supraspinatus and biceps tendons at the side and front of the shoulder, off the chest
# wall. Taut's own reading (unverified); every structure is on one side of the line.
PNEUMOTHORAX_STRUCTURES: frozenset[str] = frozenset()
NO_PNEUMOTHORAX_STRUCTURES: frozenset[str] = frozenset({
    "iliolumbar_ligament", "posterior_sacroiliac_ligaments", "sacrospinous_ligament",
    "sacrotuberous_ligament", "lumbar_supraspinous_ligament", "lumbar_interspinous_ligaments",
    "common_extensor_origin", "common_flexor_origin", "supraspinatus_tendon",
    "biceps_long_head_tendon", "gluteal_tendon_insertions", "patellar_tendon",
    "pes_anserine_insertion", "plantar_fascia", "achilles_insertion",
})
# fmt: on


def _muscle(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field}: expected an atlas muscle id, got {value!r}")
    muscle = value.strip().casefold().replace(" ", "_").replace("-", "_")
    if muscle not in SITES:
        # An unknown site must not pass silently: it could be a site over the lung.
        raise ValueError(f"{field}: unknown atlas muscle {value!r}")
    return muscle


def _midline(site: str) -> bool:
    return site in STRUCTURES and STRUCTURES[site].midline


def read_sites(sites: object) -> tuple[tuple[str, Side], ...]:
    """Distinct (atlas site id, side) pairs: muscles and ligament or tendon sites, ids
    compared after trimming, lower-casing and turning spaces and hyphens into underscores,
    a midline ligament's side "midline". Unknown ids raise ValueError naming the place.

    Not a rule: input parsing shared by consent and the aftercare handout.
    """
    return parse_sites(sites, read_muscle=_muscle, is_midline=_midline)


_sites = read_sites


def pneumothorax_sites(sites: Iterable[tuple[str, str]]) -> tuple[tuple[str, Side], ...]:
    """The planned sites over the lung, in the order given (each once): the reason to show.
    Sites are atlas muscles or ligament and tendon sites (a midline ligament's side is
    "midline"); no ligament or tendon site is over the lung (``PNEUMOTHORAX_STRUCTURES``).

    Source: [S9], [S14] (pneumothorax after chest-wall and trapezius TPI), [S12], [S11]
    (avoid deep insertion over the thoracic or cervical back). Status: verified for the
    risk; which atlas muscles count (``PNEUMOTHORAX_MUSCLES``) is Taut's reading of the
    atlas's injection-risk notes (secondary), erring toward discussing it.
    """
    over_lung = PNEUMOTHORAX_MUSCLES | PNEUMOTHORAX_STRUCTURES
    return tuple(site for site in _sites(sites) if site[0] in over_lung)


def required_risks(sites: Iterable[tuple[str, str]], *, steroid: bool = False) -> tuple[Risk, ...]:
    """The risks to discuss before injecting these ``(muscle_id, side)`` sites.

    Always bleeding, infection, soreness, vasovagal reaction, nerve injury, allergic
    reaction, injection into a blood vessel and local anaesthetic toxicity; also
    pneumothorax when any site is a neck, thoracic or chest-wall muscle (see
    :func:`pneumothorax_sites`), and a steroid's effects when ``steroid`` (one is planned). Muscle ids are atlas ids (``taut.clinical.atlas.MUSCLES``),
    compared after trimming, lower-casing and turning spaces and hyphens into underscores;
    an unknown id raises rather than being skipped.

    Source: clinical.md §3 complications: [S8b] bleeding, [S13] infection, fainting and
    numbness, [S10], [S13] soreness, [S9], [S14] pneumothorax, [S8a] intravascular
    injection, [S29b] LAST, [S9], [S22] steroid effects. Status: see ``RISKS``.
    """
    if not isinstance(steroid, bool):
        raise ValueError(f"steroid: expected True or False, got {steroid!r}")
    risks = GENERAL_RISKS
    if pneumothorax_sites(sites):
        risks = (*risks, Risk.PNEUMOTHORAX)
    if steroid:
        risks = (*risks, Risk.STEROID)
    return risks


# --- time-out ------------------------------------------------------------------------------


class TimeOutItem(StrEnum):
    PATIENT_IDENTITY = "patient_identity"
    SITES = "sites"
    SIDE = "side"
    ALLERGIES = "allergies"
    AGENT = "agent"

    @property
    def label(self) -> str:
        return TIME_OUT_ITEMS[self].label


@dataclass(frozen=True)
class TimeOutCheck:
    """One time-out item: a short ``label``, the question to ask aloud, source and status."""

    item: TimeOutItem
    label: str
    prompt: str
    source: str
    status: str


# The reference (clinical.md) cites no time-out standard. These items follow the Joint
# Commission Universal Protocol and the WHO Surgical Safety Checklist, from memory:
# unverified, clinic policy until a clinical lead signs them off.
_PROTOCOL = (
    "Joint Commission Universal Protocol; WHO Surgical Safety Checklist (not in clinical.md)"
)

# fmt: off
TIME_OUT_ITEMS: Mapping[TimeOutItem, TimeOutCheck] = MappingProxyType({
    TimeOutItem.PATIENT_IDENTITY: TimeOutCheck(
        TimeOutItem.PATIENT_IDENTITY, "Patient identity",
        "Patient confirms their full name and date of birth, matching the record.",
        _PROTOCOL, "unverified",
    ),
    TimeOutItem.SITES: TimeOutCheck(
        TimeOutItem.SITES, "Sites",
        "The muscles to inject match the plan and the consent form.",
        _PROTOCOL, "unverified",
    ),
    TimeOutItem.SIDE: TimeOutCheck(
        TimeOutItem.SIDE, "Side",
        "The side of each site (left or right) is confirmed and marked.",
        _PROTOCOL, "unverified",
    ),
    TimeOutItem.ALLERGIES: TimeOutCheck(
        TimeOutItem.ALLERGIES, "Allergies",
        "Allergies are asked again, local anaesthetics in particular.",
        f"{_PROTOCOL}; allergy to the planned anaesthetic is a hard stop [S9]", "unverified",
    ),
    TimeOutItem.AGENT: TimeOutCheck(
        TimeOutItem.AGENT, "Agent",
        "The agent, strength and volume drawn up match the plan and the dose check.",
        f"{_PROTOCOL}; dose limits clinical.md §4", "unverified",
    ),
})
# fmt: on
