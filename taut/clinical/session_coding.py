"""The codes of a whole session: injections and dry needling coded apart, and the muscles
that do not count.

CPT counts muscles [S45], [S45c]. A session may mix injected muscles with dry-needled ones:
the injected muscles are 20552 (1–2) or 20553 (3 or more); the dry-needled ones are 20560
or 20561 [S48], coded separately, and never count toward 20552/20553. The Medicare TPI LCDs
exclude dry needling [S49], [S50], so the payer warning says 20560/20561 is outside them.

An injected muscle counts toward 20552/20553 only with a documented trigger point
(``site_checks.counts_toward_tpi``): active, or latent with the reason recorded. A muscle
both injected and dry-needled in the session counts once, as injected (conservative).

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from taut.clinical import atlas, coding, site_checks
from taut.clinical.inputs import read_flag, read_text
from taut.clinical.sites import Side, read_side

VERSION = "2026.1"


@dataclass(frozen=True)
class CodedSite:
    """One recorded site as coding reads it: an atlas muscle id, its side, whether it was
    dry needling (no injectate), what the exam found there and the clinician's reason."""

    muscle: str
    side: str
    dry_needling: bool = False
    point: site_checks.PointStatus = site_checks.PointStatus.ACTIVE
    reason: str = ""


@dataclass(frozen=True)
class NotCounted:
    muscle: str  # the muscle's name, for people
    side: Side
    why: str


@dataclass(frozen=True)
class SessionCoding:
    """The session's injection code and dry-needling code (each may have no code), the
    injected muscles not counted and why, and the payer warning (empty: none)."""

    injection: coding.CptCoding
    dry_needling: coding.CptCoding
    not_counted: tuple[NotCounted, ...]
    warnings: tuple[str, ...]
    source: str
    version: str = VERSION


def _name(muscle: str) -> str:
    return atlas.MUSCLES[muscle].name if muscle in atlas.MUSCLES else muscle.replace("_", " ")


def _read(site: object, index: int) -> CodedSite:
    field = f"sites[{index}]"
    if not isinstance(site, CodedSite):
        raise ValueError(f"{field}: expected a CodedSite, got {site!r}")
    if site.muscle not in atlas.MUSCLES:
        raise ValueError(f"{field}.muscle: unknown atlas muscle {site.muscle!r}")
    read_side(site.side, f"{field}.side")
    read_flag(site.dry_needling, f"{field}.dry_needling")
    read_text(site.reason, f"{field}.reason")
    site_checks.PointStatus(site.point)
    return site


def session_coding(sites: Iterable[CodedSite]) -> SessionCoding:
    """The CPT codes of a session: injected muscles with a documented trigger point →
    20552/20553; dry-needled muscles (not also injected) → 20560/20561, coded separately.

    Injected muscles without a counted point are listed in ``not_counted`` with the
    reason. ``warnings``: a session with dry needling says 20560/20561 is coded apart and
    that the Medicare TPI LCDs exclude dry needling; uncounted muscles are named.
    Source: [S45], [S45c], [S47] (20552/20553 by muscles), [S48] (20560/20561), [S49],
    [S50] (dry needling excluded; a documented trigger point), [S8c]. Status: verified
    codes; counting rules secondary; a muscle both injected and needled counted once
    (unverified, conservative).
    """
    read = [_read(site, i) for i, site in enumerate(sites)]
    injected = [s for s in read if not s.dry_needling]
    injected_keys = {(s.muscle, s.side) for s in injected}
    counted: list[tuple[str, str]] = []
    missed: dict[tuple[str, str], NotCounted] = {}
    for site in injected:
        key = (site.muscle, site.side)
        ok, why = site_checks.counts_toward_tpi(site.point, site.reason)
        if ok:
            counted.append(key)
            missed.pop(key, None)
        elif key not in counted:
            missed[key] = NotCounted(_name(site.muscle), Side(site.side), why)
    needled = [
        (s.muscle, s.side)
        for s in read
        if s.dry_needling and (s.muscle, s.side) not in injected_keys
    ]
    injection = coding.cpt_coding(counted)
    dry = coding.cpt_coding(needled, dry_needling=True)
    warnings = []
    if dry.code is not None:
        both = f"{injection.code} for the injected muscles and " if injection.code else ""
        warnings.append(
            f"Dry needling is coded on its own: {both}{dry.code} for the "
            f"{dry.muscle_count} dry-needled muscle{'s' if dry.muscle_count != 1 else ''}, "
            "which never count toward 20552/20553 [S48]. Medicare TPI LCDs L34211 and L36859 "
            "exclude dry needling: 20560/20561 is not covered under them [S49], [S50]; check "
            "the payer's own policy."
        )
    if missed:
        listed = "; ".join(f"{m.muscle} ({m.side}): {m.why}" for m in missed.values())
        warnings.append(
            f"Injected but not counted toward 20552/20553: {listed}. The LCDs cover "
            "injection of a trigger point documented on the exam [S49], [S50]."
        )
    return SessionCoding(
        injection=injection,
        dry_needling=dry,
        not_counted=tuple(missed.values()),
        warnings=tuple(warnings),
        source="[S45], [S45c], [S47], [S48], [S49], [S50], [S8c]",
    )
