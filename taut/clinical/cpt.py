"""CPT codes for the muscles of a session: trigger point injection and dry needling.

CPT counts muscles, not injections or trigger points; left and right of one muscle are two
muscles; one code per session [S45], [S45c], [S46], [S47]. Parts of one muscle named
separately (upper and middle trapezius) count once, so the count can only err low, never
toward the higher code. ``taut.clinical.coding`` re-exports everything here; the whole
session's codes (muscles, ligaments and tendons) are ``session_coding.session_codes``.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from taut.clinical.atlas import STRUCTURES
from taut.clinical.inputs import read_flag
from taut.clinical.sites import Side, parse_sites

VERSION = "2026.1"

TPI_1_2_MUSCLES = "20552"
TPI_3_PLUS_MUSCLES = "20553"
DRY_NEEDLING_1_2_MUSCLES = "20560"
DRY_NEEDLING_3_PLUS_MUSCLES = "20561"
MUSCLES_FOR_HIGHER_CODE = 3


# Parts of one muscle that the referral atlas names separately. Counting them once is the
# conservative reading (never upcode); anatomically they are one named muscle. Unverified:
# no coding source addresses parts of a muscle.
MUSCLE_OF_PART: Mapping[str, str] = MappingProxyType(
    {
        "trapezius_upper": "trapezius",
        "trapezius_middle": "trapezius",
        "trapezius_lower": "trapezius",
        "cervical_multifidi": "multifidus",
        "lumbar_multifidi": "multifidus",
        "iliocostalis_thoracis": "iliocostalis",
        "iliocostalis_lumborum": "iliocostalis",
        "longissimus_thoracis": "longissimus",
    }
)


@dataclass(frozen=True)
class CptCoding:
    """The CPT code of a session with the muscles it counted and the reason."""

    code: str | None
    muscle_count: int
    muscles: tuple[tuple[str, Side], ...]
    reason: str
    source: str
    version: str = VERSION


def _muscle(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field}: expected a muscle id, got {value!r}")
    muscle = value.strip().casefold().replace(" ", "_").replace("-", "_")
    if muscle in STRUCTURES:
        raise ValueError(
            f"{field}: {value!r} is a ligament or tendon site, never counted as a muscle "
            "(20550/20551: session_coding.session_codes)"
        )
    return MUSCLE_OF_PART.get(muscle, muscle)


def _muscles(sites: object) -> tuple[tuple[str, Side], ...]:
    return parse_sites(sites, read_muscle=_muscle)


def cpt_coding(sites: Iterable[tuple[str, str]], *, dry_needling: bool = False) -> CptCoding:
    """The one CPT code for a session, with the muscle count and a reason to show.

    Injection with injectate: 1–2 muscles → 20552, ≥ 3 → 20553. Dry needling (no
    injectate): 1–2 → 20560, ≥ 3 → 20561. No sites → no code. One code per session. A
    ligament or tendon site (``atlas.STRUCTURES``) is refused (ValueError): it is no muscle.
    Source: [S45c], [S47] (20552/20553), [S45] (left and right count separately), [S46],
    [S70] (once per session), [S48] (20560/20561). Status: seen; counting parts of one
    muscle once is unverified (conservative).
    """
    read_flag(dry_needling, "dry_needling")
    muscles = _muscles(sites)
    count = len(muscles)
    source = "[S48]" if dry_needling else "[S45], [S45c], [S47]"
    if count == 0:
        return CptCoding(None, 0, (), "No muscles recorded: nothing to bill.", source)
    if dry_needling:
        code = DRY_NEEDLING_3_PLUS_MUSCLES if count >= 3 else DRY_NEEDLING_1_2_MUSCLES
    else:
        code = TPI_3_PLUS_MUSCLES if count >= 3 else TPI_1_2_MUSCLES
    listed = ", ".join(f"{muscle.replace('_', ' ')} ({side})" for muscle, side in muscles)
    kind = "dry needling" if dry_needling else "trigger point injection"
    noun = "muscle" if count == 1 else "muscles"
    reason = (
        f"{code} because {count} {noun}: {listed}. {kind.capitalize()}, one code per "
        "session; left and right of one muscle count as two."
    )
    return CptCoding(code, count, muscles, reason, source)


def cpt_code(sites: Iterable[tuple[str, str]], *, dry_needling: bool = False) -> str | None:
    """The one CPT code for a session's ``(muscle_id, side)`` sites (see :func:`cpt_coding`).

    Source: [S45], [S45c], [S46], [S47], [S48]. Status: seen.
    """
    return cpt_coding(sites, dry_needling=dry_needling).code
