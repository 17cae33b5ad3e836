"""What to bill for a session: the CPT codes and ICD-10-CM suggestions.

``session_codes(sites)`` gives every code of a session with its units, modifiers, the sites
that produced it and the reasons: trigger point injection 20552/20553 and dry needling
20560/20561 for muscles [S45], [S45c], [S46], [S47], [S48]; 20550 (tendon sheath, ligament,
aponeurosis) and 20551 (tendon origin/insertion) per distinct structure [S71]; prolotherapy
as such [S73], [S74]. It lives in ``session_coding`` and is re-exported here, as are the
muscle codes of ``cpt`` (``cpt_code``, ``cpt_coding``).

ICD-10-CM suggestions are suggestions: the clinician and coder decide, and Medicare billing
articles restrict which codes are covered (check the live article) [S52].

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from taut.clinical import atlas
from taut.clinical.cpt import (
    DRY_NEEDLING_1_2_MUSCLES,
    DRY_NEEDLING_3_PLUS_MUSCLES,
    MUSCLE_OF_PART,
    MUSCLES_FOR_HIGHER_CODE,
    TPI_1_2_MUSCLES,
    TPI_3_PLUS_MUSCLES,
    CptCoding,
    cpt_code,
    cpt_coding,
)
from taut.clinical.inputs import member_of, read_collection, read_flag
from taut.clinical.payer import MUSCLE_REGION
from taut.clinical.session_coding import CodedSite, CodeLine, SessionCodes, session_codes

__all__ = [
    "DRY_NEEDLING_1_2_MUSCLES",
    "DRY_NEEDLING_3_PLUS_MUSCLES",
    "ICD10_CODES",
    "MUSCLES_FOR_HIGHER_CODE",
    "MUSCLE_OF_PART",
    "TPI_1_2_MUSCLES",
    "TPI_3_PLUS_MUSCLES",
    "CodeLine",
    "CodedSite",
    "CptCoding",
    "Diagnosis",
    "Evidence",
    "IcdCode",
    "IcdRegion",
    "IcdSuggestion",
    "SessionCodes",
    "cpt_code",
    "cpt_coding",
    "diagnosis_for_indication",
    "icd10_suggestions",
    "icd_regions_for_muscles",
    "session_codes",
]

VERSION = "2026.1"  # the ICD rules and cpt; session_codes carries session_coding.VERSION


class Evidence(StrEnum):
    """How far the reference verifies a fact (clinical.md status labels)."""

    SEEN = "seen"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"


# --- ICD-10-CM ---------------------------------------------------------------------------


class Diagnosis(StrEnum):
    MYOFASCIAL_PAIN = "myofascial_pain"
    MYALGIA = "myalgia"
    FIBROMYALGIA = "fibromyalgia"
    TENSION_TYPE_HEADACHE = "tension_type_headache"
    EPISODIC_TENSION_TYPE_HEADACHE = "episodic_tension_type_headache"
    CHRONIC_TENSION_TYPE_HEADACHE = "chronic_tension_type_headache"
    CERVICALGIA = "cervicalgia"
    LOW_BACK_PAIN = "low_back_pain"
    VERTEBROGENIC_LOW_BACK_PAIN = "vertebrogenic_low_back_pain"
    MUSCLE_SPASM = "muscle_spasm"


class IcdRegion(StrEnum):
    JAW = "jaw"
    HEAD = "head"
    NECK = "neck"
    SHOULDER = "shoulder"
    UPPER_BACK = "upper_back"
    LOWER_BACK = "lower_back"
    CHEST = "chest"
    ABDOMEN = "abdomen"
    ARM = "arm"
    HIP = "hip"
    LEG = "leg"


@dataclass(frozen=True)
class IcdCode:
    code: str
    title: str
    status: Evidence
    source: str


def _code(code: str, title: str, status: Evidence, source: str) -> tuple[str, IcdCode]:
    return code, IcdCode(code, title, status, source)


# The codes Taut suggests, each with the reference's verification of code and title.
ICD10_CODES: Mapping[str, IcdCode] = MappingProxyType(
    dict(
        [
            _code("M79.10", "Myalgia, unspecified site", Evidence.SEEN, "[S58a]"),
            _code("M79.11", "Myalgia of mastication muscle", Evidence.SEEN, "[S58a]"),
            _code("M79.12", "Myalgia of auxiliary muscles, head and neck", Evidence.SEEN, "[S58b]"),
            _code("M79.18", "Myalgia, other site", Evidence.SEEN, "[S58a]"),
            _code("M79.7", "Fibromyalgia", Evidence.SECONDARY, "[S58d]"),
            _code("M54.2", "Cervicalgia", Evidence.UNVERIFIED, "memory"),
            _code("M54.50", "Low back pain, unspecified", Evidence.UNVERIFIED, "memory"),
            _code("M54.51", "Vertebrogenic low back pain", Evidence.SECONDARY, "[S58e]"),
            _code("M62.830", "Muscle spasm of back", Evidence.SECONDARY, "[S58f]"),
            _code("M62.838", "Other muscle spasm", Evidence.UNVERIFIED, "memory"),
            _code(
                "G44.201",
                "Tension-type headache, unspecified, intractable",
                Evidence.UNVERIFIED,
                "memory",
            ),
            _code(
                "G44.209",
                "Tension-type headache, unspecified, not intractable",
                Evidence.SEEN,
                "[S58g], [S58h]",
            ),
            _code(
                "G44.211", "Episodic tension-type headache, intractable", Evidence.SEEN, "[S58g]"
            ),
            _code(
                "G44.219",
                "Episodic tension-type headache, not intractable",
                Evidence.UNVERIFIED,
                "memory",
            ),
            _code("G44.221", "Chronic tension-type headache, intractable", Evidence.SEEN, "[S58g]"),
            _code(
                "G44.229",
                "Chronic tension-type headache, not intractable",
                Evidence.UNVERIFIED,
                "memory",
            ),
        ]
    )
)

_HEADACHE_CODES: Mapping[tuple[Diagnosis, bool], str] = MappingProxyType(
    {
        (Diagnosis.TENSION_TYPE_HEADACHE, True): "G44.201",
        (Diagnosis.TENSION_TYPE_HEADACHE, False): "G44.209",
        (Diagnosis.EPISODIC_TENSION_TYPE_HEADACHE, True): "G44.211",
        (Diagnosis.EPISODIC_TENSION_TYPE_HEADACHE, False): "G44.219",
        (Diagnosis.CHRONIC_TENSION_TYPE_HEADACHE, True): "G44.221",
        (Diagnosis.CHRONIC_TENSION_TYPE_HEADACHE, False): "G44.229",
    }
)
_MYALGIA_BY_REGION: Mapping[IcdRegion, str] = MappingProxyType(
    {IcdRegion.JAW: "M79.11", IcdRegion.HEAD: "M79.12", IcdRegion.NECK: "M79.12"}
)
_BACK = frozenset({IcdRegion.UPPER_BACK, IcdRegion.LOWER_BACK})


@dataclass(frozen=True)
class IcdSuggestion:
    """One suggested ICD-10-CM code; ``verified`` only when the reference saw it in a source."""

    code: str
    title: str
    status: Evidence
    source: str
    reason: str

    @property
    def verified(self) -> bool:
        return self.status is Evidence.SEEN


def _suggest(code: str, reason: str, *, status: Evidence | None = None) -> IcdSuggestion:
    known = ICD10_CODES[code]
    return IcdSuggestion(code, known.title, status or known.status, known.source, reason)


def _regions(regions: object) -> tuple[IcdRegion, ...]:
    found: dict[IcdRegion, None] = {}
    for item in read_collection(regions, "regions", "a list of region ids"):
        region = member_of(IcdRegion, item)
        if region is None:
            known = ", ".join(IcdRegion)
            raise ValueError(f"regions: unknown region {item!r}; known: {known}")
        found[region] = None
    return tuple(found)


def _where(regions: Iterable[IcdRegion]) -> str:
    return ", ".join(region.replace("_", " ") for region in regions) or "no site recorded"


def icd10_suggestions(
    *, diagnosis: str, regions: Iterable[str] = (), intractable: bool = False
) -> list[IcdSuggestion]:
    """ICD-10-CM codes to consider for a documented diagnosis and the regions treated.

    Myofascial pain syndrome → M79.18 (it is an inclusion term of M79.1; the index entry
    to M79.18 is unverified). Myalgia → by site: jaw M79.11, head or neck M79.12, other
    sites M79.18, none M79.10. Fibromyalgia → M79.7. Tension-type headache → G44.2xx by
    type and ``intractable``. Cervicalgia → M54.2. Low back pain → M54.50 (vertebrogenic:
    M54.51). Muscle spasm → back M62.830, elsewhere M62.838.
    Source: [S58a]–[S58h], clinical.md §7b. Status: per code in ``ICD10_CODES``.
    """
    try:
        dx = Diagnosis(diagnosis)
    except ValueError:
        known = ", ".join(Diagnosis)
        raise ValueError(f"diagnosis: unknown diagnosis {diagnosis!r}; known: {known}") from None
    read_flag(intractable, "intractable")
    places = _regions(regions)
    where = _where(places)

    if dx is Diagnosis.MYOFASCIAL_PAIN:
        return [
            _suggest(
                "M79.18",
                f"Myofascial pain syndrome ({where}) is an inclusion term of M79.1 "
                "[S58c]; the index sends it to M79.18 (unverified: confirm in the index).",
                status=Evidence.UNVERIFIED,
            )
        ]
    if dx is Diagnosis.MYALGIA:
        if not places:
            return [_suggest("M79.10", "Myalgia with no site recorded: record the site.")]
        by_code: dict[str, list[IcdRegion]] = {}
        for region in places:
            by_code.setdefault(_MYALGIA_BY_REGION.get(region, "M79.18"), []).append(region)
        return [_suggest(code, f"Myalgia at {_where(found)}.") for code, found in by_code.items()]
    if dx is Diagnosis.FIBROMYALGIA:
        return [_suggest("M79.7", "Fibromyalgia documented (check the ACR criteria).")]
    if (dx, intractable) in _HEADACHE_CODES:
        code = _HEADACHE_CODES[(dx, intractable)]
        reason = f"{dx.replace('_', ' ').capitalize()}, {'' if intractable else 'not '}intractable."
        if code == "G44.209":
            reason += " Listed as not covered in Medicare TPI article A57701 [S58i] (secondary)."
        return [_suggest(code, reason)]
    if dx is Diagnosis.CERVICALGIA:
        return [_suggest("M54.2", "Neck pain (cervicalgia) documented.")]
    if dx is Diagnosis.LOW_BACK_PAIN:
        return [_suggest("M54.50", "Low back pain; M54.5 was retired in 2021 [S58e].")]
    if dx is Diagnosis.VERTEBROGENIC_LOW_BACK_PAIN:
        return [_suggest("M54.51", "Vertebrogenic low back pain documented.")]
    back = [region for region in places if region in _BACK]
    other = [region for region in places if region not in _BACK]
    suggestions = []
    if back:
        suggestions.append(_suggest("M62.830", f"Muscle spasm of the back ({_where(back)})."))
    if other or not back:
        suggestions.append(_suggest("M62.838", f"Muscle spasm ({_where(other)})."))
    return suggestions


# Anatomical region of an atlas muscle (taut.clinical.payer.MUSCLE_REGION) -> ICD-10-CM
# site region. Taut's own mapping, so that ICD suggestions can name where the sites are.
_ICD_REGION_OF_PAYER_REGION = {
    "cephalic": IcdRegion.HEAD,
    "facial": IcdRegion.JAW,
    "cervical": IcdRegion.NECK,
    "scapular": IcdRegion.UPPER_BACK,
    "shoulder": IcdRegion.SHOULDER,
    "thoracic": IcdRegion.UPPER_BACK,
    "chest_wall": IcdRegion.CHEST,
    "abdominal": IcdRegion.ABDOMEN,
    "lumbar": IcdRegion.LOWER_BACK,
    "hip_gluteal": IcdRegion.HIP,
    "upper_limb": IcdRegion.ARM,
    "lower_limb": IcdRegion.LEG,
}


def icd_regions_for_muscles(muscles: Iterable[str]) -> tuple[IcdRegion, ...]:
    """The ICD-10-CM site regions of atlas muscles, in first-seen order. Ligament and tendon
    sites (``atlas.STRUCTURES``) are skipped: they are no myalgia or muscle-spasm site.

    Source: Taut's grouping of the atlas muscles (payer.MUSCLE_REGION) into the site
    regions that the M79.1x and M54.x codes name [S58a]; status: unverified mapping.
    Unknown ids raise ValueError naming the field.
    """
    regions = []
    for i, muscle in enumerate(muscles):
        if muscle in atlas.STRUCTURES:
            continue
        if muscle not in MUSCLE_REGION:
            raise ValueError(f"muscles[{i}]: unknown atlas muscle {muscle!r}")
        regions.append(_ICD_REGION_OF_PAYER_REGION[str(MUSCLE_REGION[muscle])])
    return tuple(dict.fromkeys(regions))


# The screening indication a clinician recorded -> the diagnosis its ICD-10-CM codes are
# suggested for. Taut's mapping of its own two vocabularies.
_DIAGNOSIS_OF_INDICATION = {
    "myofascial_pain": Diagnosis.MYOFASCIAL_PAIN,
    "fibromyalgia": Diagnosis.FIBROMYALGIA,
    "tension_type_headache": Diagnosis.TENSION_TYPE_HEADACHE,
    "neck_muscle_pain": Diagnosis.CERVICALGIA,
    "low_back_muscle_pain": Diagnosis.LOW_BACK_PAIN,
}


def diagnosis_for_indication(indication: str) -> Diagnosis | None:
    """The diagnosis to suggest ICD-10-CM codes for, given a screening indication
    (taut.clinical.screening.Indication); None for an unknown one.

    Source: Taut's mapping between its screening indications and the diagnoses of the
    ICD-10-CM index [S58a]; status: unverified mapping (the clinician confirms each code).
    """
    return _DIAGNOSIS_OF_INDICATION.get(str(indication))
