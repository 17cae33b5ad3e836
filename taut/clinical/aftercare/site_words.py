"""Ligament and tendon sites in a patient's words (issue 15), for the handout, the portal and
the check-ins.

``plain_site_name(site_id)`` names a ligament or tendon site as a patient says it ("the
tendon below your kneecap"); a muscle keeps the handout's words for it ("the treated
muscle"): the handout and check-ins have never named muscles one by one. The words are
English, marked for the translation catalogue (``wording.gettext_noop``) and translated
where they are shown.

Sources: the anatomy of each site is the structure atlas's (``atlas.STRUCTURES``: location
and sources); the plain words are Taut's (not a rule; status unverified wording).
"""

from collections.abc import Mapping
from types import MappingProxyType

from taut.clinical import atlas
from taut.clinical.wording import gettext_noop as _

VERSION = "2026.1"

#: What the handout calls any muscle it treated (it names no muscle one by one).
MUSCLE = _("the treated muscle")

# fmt: off
PLAIN_NAMES: Mapping[str, str] = MappingProxyType({
        "iliolumbar_ligament": _("the ligament between your low back and pelvis"),
        "posterior_sacroiliac_ligaments": _("the ligaments at the back of your pelvis (sacroiliac joint)"),
        "sacrospinous_ligament": _("a deep ligament of your pelvis, beside the tailbone"),
        "sacrotuberous_ligament": _("the ligament between your tailbone area and sit bone"),
        "lumbar_supraspinous_ligament": _("the ligament over the bones of your low back"),
        "lumbar_interspinous_ligaments": _("the ligaments between the bones of your low back"),
        "common_extensor_origin": _("the tendon on the outer side of your elbow"),
        "common_flexor_origin": _("the tendon on the inner side of your elbow"),
        "supraspinatus_tendon": _("a tendon at the top of your shoulder"),
        "biceps_long_head_tendon": _("the biceps tendon at the front of your shoulder"),
        "gluteal_tendon_insertions": _("the tendons on the outer side of your hip"),
        "patellar_tendon": _("the tendon below your kneecap"),
        "pes_anserine_insertion": _("the tendons on the inner side of your knee"),
        "plantar_fascia": _("the tissue under your heel and arch (plantar fascia)"),
        "achilles_insertion": _("the Achilles tendon at the back of your heel"),
})
# fmt: on


def plain_site_name(site_id: str) -> str:
    """A site in plain words, English, marked for translation: a ligament or tendon site by
    ``PLAIN_NAMES``; any muscle as ``MUSCLE``. Unknown ids raise ValueError.

    Source: the structure atlas (which site is where); the wording is Taut's (Not a rule).
    """
    if not isinstance(site_id, str) or site_id not in atlas.SITES:
        raise ValueError(f"site_id: unknown atlas site {site_id!r}")
    if site_id in atlas.MUSCLES:
        return MUSCLE
    return PLAIN_NAMES[site_id]
