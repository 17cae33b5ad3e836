"""The codes of a whole session: muscles, ligaments and tendons, dry needling and
prolotherapy, each coded apart, with the sites that produced each code.

**Muscles.** CPT counts muscles [S45], [S45c]: the injected muscles are 20552 (1–2) or 20553
(3 or more), once per session; the dry-needled ones are 20560 or 20561 [S48], coded
separately, and never count toward 20552/20553. The Medicare TPI LCDs exclude dry needling
[S49], [S50]. An injected muscle counts toward 20552/20553 only with a documented trigger
point (``site_checks.counts_toward_tpi``): active, or latent with the reason recorded. A
muscle both injected and dry-needled in the session counts once, as injected (conservative).

**Ligaments and tendons** (issue 15). 20550 is "Injection(s); single tendon sheath, or
ligament, aponeurosis (eg, plantar 'fascia')" and 20551 "Injection(s); single tendon
origin/insertion" [S71]: one unit per distinct structure, however many injections went into
it; injections into several structures are reported for each [S71]; the left and the right
structure are two (20550-LT and 20550-RT) [S71b]. So the atlas's ligament, tendon-sheath and
aponeurosis sites are 20550 and its tendon origins and insertions 20551 (``atlas.SiteKind``),
one unit per distinct (site, side); a midline ligament is one site. A ligament is never
counted as a muscle. Dry needling of a structure is not an injection: it is not coded
20550/20551 and the session says so. A structure is coded whatever its exam found
(``CodedSite.point`` is read for muscles only): the exam's reason is asked when the site is
recorded (``site_checks.site_needs``), not at billing.

**Modifiers.** Billed with 20552/20553 in one session, a 20550/20551 line is a separate
structure: Taut suggests XS (or 59), the NCCI modifiers for a separate site [S72b]. Whether
the current NCCI procedure-to-procedure table pairs these codes (and with which modifier
indicator), and the practitioner MUEs of 20550–20553, 20560/20561 and M0076, were searched
for and not found in any readable copy [S72]: **unverified**, so the suggestion is a
parameter (``distinct_modifier``) and says to check the table. RT/LT on request
(``laterality``).

**Prolotherapy** (a sclerosant such as dextrose at any site): HCPCS M0076, whose long and
short descriptors are both "Prolotherapy" in a public copy of the 2020 HCPCS file [S74b];
never 20550/20551/20552 [S74]; Medicare does not cover it (NCD 150.7) [S73]. The units of
M0076 (one per session here) are Taut's: no MUE was found.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9;
issue 15 adds [S71]–[S78] there).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from taut.clinical import atlas, cpt, site_checks
from taut.clinical.inputs import read_flag, read_text
from taut.clinical.sites import Side, read_site_side

VERSION = "2026.2"  # 2026.2: session_codes (ligaments, tendons, prolotherapy; issue 15)

SHEATH_LIGAMENT_APONEUROSIS = "20550"
TENDON_ORIGIN_INSERTION = "20551"
#: HCPCS Level II code for prolotherapy: descriptor "Prolotherapy" seen in a public copy of the
#: 2020 HCPCS file [S74b] and in payer policies [S74]; its Medicare coverage status code and
#: MUE were not seen. A clinic may bill it otherwise: see the docs.
PROLOTHERAPY = "M0076"
DISTINCT_SITE_MODIFIER = "XS"  # separate structure [S72b]; "59" is the older, broader one

STRUCTURE_CODE = {
    atlas.SiteKind.LIGAMENT: SHEATH_LIGAMENT_APONEUROSIS,
    atlas.SiteKind.TENDON_SHEATH: SHEATH_LIGAMENT_APONEUROSIS,
    atlas.SiteKind.APONEUROSIS: SHEATH_LIGAMENT_APONEUROSIS,
    atlas.SiteKind.TENDON_ORIGIN: TENDON_ORIGIN_INSERTION,
    atlas.SiteKind.TENDON_INSERTION: TENDON_ORIGIN_INSERTION,
}
_STRUCTURE_WORDS = {
    SHEATH_LIGAMENT_APONEUROSIS: "tendon sheath, ligament or aponeurosis",
    TENDON_ORIGIN_INSERTION: "tendon origin or insertion",
}
_SIDE_MODIFIER = {Side.LEFT: "LT", Side.RIGHT: "RT"}
_NCD = (
    "Medicare does not cover prolotherapy, joint sclerotherapy or ligamentous injections "
    "with sclerosing agents (NCD 150.7) [S73]"
)


@dataclass(frozen=True)
class CodedSite:
    """One recorded site as coding reads it: an atlas site id (``muscle``: any id of
    ``atlas.SITES``, muscle or structure; the name is kept for compatibility), its side
    ("left", "right"; "midline" for a midline ligament), whether it was dry needling (no
    injectate), what the exam found at a muscle and the clinician's reason, and the
    sclerosant injected (non-empty: prolotherapy, e.g. "dextrose 15 %")."""

    muscle: str
    side: str
    dry_needling: bool = False
    point: site_checks.PointStatus = site_checks.PointStatus.ACTIVE
    reason: str = ""
    sclerosant: str = ""


@dataclass(frozen=True)
class NotCounted:
    muscle: str  # the site's name, for people
    side: Side
    why: str


@dataclass(frozen=True)
class SessionCoding:
    """The session's injection code and dry-needling code (each may have no code), the
    injected muscles not counted and why, and the payer warning (empty: none)."""

    injection: cpt.CptCoding
    dry_needling: cpt.CptCoding
    not_counted: tuple[NotCounted, ...]
    warnings: tuple[str, ...]
    source: str
    version: str = VERSION


@dataclass(frozen=True)
class CodeLine:
    """One billed code: its units, the modifiers suggested, the (site id, side) pairs that
    produced it with their names, the reason, its source and status."""

    code: str
    units: int
    modifiers: tuple[str, ...]
    sites: tuple[tuple[str, str], ...]
    site_names: tuple[str, ...]
    reason: str
    source: str
    status: str = "verified"


@dataclass(frozen=True)
class SessionCodes:
    """Every code of a session, in billing order (20552/20553, 20550, 20551, 20560/20561,
    prolotherapy), the warnings to show beside them and the sites not counted."""

    lines: tuple[CodeLine, ...]
    warnings: tuple[str, ...]
    not_counted: tuple[NotCounted, ...]
    source: str
    version: str = VERSION

    def line(self, code: str) -> CodeLine | None:
        """The line of ``code`` (the first, with RT/LT lines), or None."""
        return next((line for line in self.lines if line.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(line.code for line in self.lines)


def _name(site: str) -> str:
    found = atlas.SITES.get(site)
    return found.name if found is not None else site.replace("_", " ")


def _read(site: object, index: int) -> CodedSite:
    field = f"sites[{index}]"
    if not isinstance(site, CodedSite):
        raise ValueError(f"{field}: expected a CodedSite, got {site!r}")
    if not isinstance(site.muscle, str) or site.muscle not in atlas.SITES:
        raise ValueError(f"{field}.muscle: unknown atlas site {site.muscle!r}")
    structure = atlas.STRUCTURES.get(site.muscle)
    midline = structure is not None and structure.midline
    side = read_site_side(site.side, f"{field}.side", midline_site=midline)
    read_flag(site.dry_needling, f"{field}.dry_needling")
    read_text(site.reason, f"{field}.reason")
    sclerosant = read_text(site.sclerosant, f"{field}.sclerosant").strip()
    if sclerosant and site.dry_needling:
        raise ValueError(f"{field}.sclerosant: dry needling injects nothing; record one or other")
    site_checks.PointStatus(site.point)
    return CodedSite(site.muscle, side, site.dry_needling, site.point, site.reason, sclerosant)


@dataclass(frozen=True)
class _Muscles:
    injection: cpt.CptCoding
    dry_needling: cpt.CptCoding
    not_counted: tuple[NotCounted, ...]
    warnings: tuple[str, ...]
    counted: tuple[tuple[str, str], ...]  # as recorded (parts of a muscle not folded)
    needled: tuple[tuple[str, str], ...]


def _muscles(read: list[CodedSite]) -> _Muscles:
    muscles = [s for s in read if s.muscle in atlas.MUSCLES and not s.sclerosant]
    injected = [s for s in muscles if not s.dry_needling]
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
        for s in muscles
        if s.dry_needling and (s.muscle, s.side) not in injected_keys
    ]
    injection = cpt.cpt_coding(counted)
    dry = cpt.cpt_coding(needled, dry_needling=True)
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
    return _Muscles(
        injection,
        dry,
        tuple(missed.values()),
        tuple(warnings),
        tuple(dict.fromkeys((m, str(side)) for m, side in counted)),
        tuple(dict.fromkeys((m, str(side)) for m, side in needled)),
    )


def session_coding(sites: Iterable[CodedSite]) -> SessionCoding:
    """The muscle codes of a session: injected muscles with a documented trigger point →
    20552/20553; dry-needled muscles (not also injected) → 20560/20561, coded separately.
    Ligament and tendon sites and prolotherapy are not muscle codes: see
    :func:`session_codes`, which gives every code of the session.

    Injected muscles without a counted point are listed in ``not_counted`` with the
    reason. ``warnings``: a session with dry needling says 20560/20561 is coded apart and
    that the Medicare TPI LCDs exclude dry needling; uncounted muscles are named.
    Source: [S45], [S45c], [S47] (20552/20553 by muscles), [S48] (20560/20561), [S49],
    [S50] (dry needling excluded; a documented trigger point), [S8c]. Status: verified
    codes; counting rules secondary; a muscle both injected and needled counted once
    (unverified, conservative).
    """
    found = _muscles([_read(site, i) for i, site in enumerate(sites)])
    return SessionCoding(
        injection=found.injection,
        dry_needling=found.dry_needling,
        not_counted=found.not_counted,
        warnings=found.warnings,
        source="[S45], [S45c], [S47], [S48], [S49], [S50], [S8c]",
    )


_SIDES_WORDS = "; left and right are two"


def _paired(sites: Iterable[tuple[str, str]]) -> bool:
    """Whether any site has a side (a midline ligament has none, so no left/right words)."""
    return any(side != Side.MIDLINE for _, side in sites)


def _listed(sites: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"{_name(site)} ({side})" for site, side in sites)


def _line(coding: cpt.CptCoding, sites: tuple[tuple[str, str], ...]) -> CodeLine | None:
    """A muscle code's line: one unit, the sites as recorded (``coding`` folds the parts of
    one muscle to count them)."""
    if coding.code is None:
        return None
    names = tuple(_name(muscle) for muscle, _ in sites)
    return CodeLine(coding.code, 1, (), sites, names, coding.reason, coding.source, "verified")


def _structure_lines(
    code: str,
    sites: list[tuple[str, str]],
    *,
    with_tpi: str | None,
    distinct_modifier: str | None,
    laterality: bool,
) -> list[CodeLine]:
    groups: list[list[tuple[str, str]]] = [sites]
    if laterality:
        by_side: dict[str, list[tuple[str, str]]] = {}
        for site in sites:
            by_side.setdefault(site[1], []).append(site)
        groups = list(by_side.values())
    lines = []
    for group in groups:
        side = Side(group[0][1])
        modifiers: list[str] = []
        if laterality and side in _SIDE_MODIFIER:
            modifiers.append(_SIDE_MODIFIER[side])
        units = len(group)
        reason = (
            f"{code} × {units}: one unit per distinct {_STRUCTURE_WORDS[code]}, however many "
            f"injections went into it{_SIDES_WORDS if _paired(group) else ''}: {_listed(group)}."
        )
        source, status = "[S71], [S71b]", "secondary"
        if units > 1:
            reason += (
                f" How many units of {code} Medicare pays in a day (its MUE) is unverified "
                "[S72]: check the current MUE table."
            )
            source = "[S71], [S71b], [S72]"
        if with_tpi and distinct_modifier:
            modifiers.append(distinct_modifier)
            reason += (
                f" Billed with {with_tpi} for the muscles: {distinct_modifier} marks a separate "
                "structure [S72b] (whether the NCCI edits pair these codes is unverified [S72]: "
                "check the current table; never put it on 20552/20553)."
            )
            source, status = "[S71], [S71b], [S72], [S72b]", "unverified"
        names = tuple(_name(site) for site, _ in group)
        lines.append(
            CodeLine(code, units, tuple(modifiers), tuple(group), names, reason, source, status)
        )
    return lines


def session_codes(
    sites: Iterable[CodedSite],
    *,
    distinct_modifier: str | None = DISTINCT_SITE_MODIFIER,
    laterality: bool = False,
) -> SessionCodes:
    """Every code of the session, each with its units, suggested modifiers, the sites that
    produced it (ids, sides and names) and the reason with its source.

    Injected muscles with a counted trigger point → 20552 (1–2) or 20553 (3+), one unit;
    dry-needled muscles → 20560/20561, one unit, never counted with the injected ones;
    ligament, tendon-sheath and aponeurosis sites → 20550 × distinct (site, side); tendon
    origins and insertions → 20551 × distinct (site, side); a ligament is never a muscle.
    Dry needling of a ligament or tendon is not coded (a warning says so). Prolotherapy (a
    ``sclerosant`` at any site) → M0076, one unit, never 20550–20553 (a structure given it is
    not also coded 20550/20551 for another row at the same site and side), with the warning that
    Medicare does not cover it. Beside 20552/20553, each 20550/20551 line suggests
    ``distinct_modifier`` (default XS; None: none); ``laterality`` splits the structure
    lines by side with RT/LT.
    Source: [S45], [S45c], [S46], [S47] (20552/20553), [S48] (20560/20561), [S71], [S71b]
    (20550/20551 per structure, sides), [S72], [S72b] (separate-site modifier), [S73] (NCD
    150.7), [S74], [S74b] (M0076). Status: muscle codes verified; 20550/20551 counting
    secondary; the NCCI pairing and the MUEs unverified (searched, not found); M0076's
    descriptor seen in a copy of the HCPCS file, its non-coverage (NCD 150.7) secondary,
    its units unverified.
    """
    if distinct_modifier is not None and distinct_modifier not in ("XS", "59"):
        raise ValueError(
            f"distinct_modifier: expected 'XS', '59' or None, got {distinct_modifier!r}"
        )
    read_flag(laterality, "laterality")
    read = [_read(site, i) for i, site in enumerate(sites)]
    muscles = _muscles(read)
    warnings = list(muscles.warnings)
    not_counted = list(muscles.not_counted)

    injected: dict[str, dict[tuple[str, str], None]] = {
        SHEATH_LIGAMENT_APONEUROSIS: {},
        TENDON_ORIGIN_INSERTION: {},
    }
    needled: dict[tuple[str, str], None] = {}
    prolo = list(dict.fromkeys((s.muscle, str(s.side)) for s in read if s.sclerosant))
    for site in read:
        structure = atlas.STRUCTURES.get(site.muscle)
        key = (site.muscle, str(site.side))
        if structure is None or site.sclerosant or key in prolo:
            # A structure given prolotherapy is coded M0076, never 20550/20551 as well, even
            # when another row records its anaesthetic apart [S74].
            continue
        if site.dry_needling:
            needled[key] = None
        else:
            injected[STRUCTURE_CODE[structure.kind]][key] = None
    injected_keys = {key for keys in injected.values() for key in keys}
    needled_only = [key for key in needled if key not in injected_keys]
    for site_id, side in needled_only:
        not_counted.append(
            NotCounted(_name(site_id), Side(side), "dry needling of a ligament or tendon")
        )
    if needled_only:
        warnings.append(
            f"Dry needling of {_listed(needled_only)} is not coded: 20550/20551 are injections "
            "[S71] and 20560/20561 count muscles [S48]. Record what was done in the note."
        )

    lines: list[CodeLine] = []
    tpi = _line(muscles.injection, muscles.counted)
    if tpi is not None:
        lines.append(tpi)
    for code, keys in injected.items():
        if keys:
            lines += _structure_lines(
                code,
                list(keys),
                with_tpi=tpi.code if tpi else None,
                distinct_modifier=distinct_modifier,
                laterality=laterality,
            )
    dry = _line(muscles.dry_needling, muscles.needled)
    if dry is not None:
        lines.append(dry)
    if prolo:
        agents = ", ".join(dict.fromkeys(s.sclerosant for s in read if s.sclerosant))
        lines.append(
            CodeLine(
                PROLOTHERAPY,
                1,
                (),
                tuple(prolo),
                tuple(_name(site) for site, _ in prolo),
                f'{PROLOTHERAPY} "Prolotherapy" [S74b]: prolotherapy ({agents}) at '
                f"{_listed(prolo)}. Not coded as 20550, 20551 or 20552/20553 [S74]. One unit "
                "per session is Taut's (no MUE found).",
                "[S74], [S74b]",
                "secondary",
            )
        )
        warnings.append(
            f"{_NCD}: the prolotherapy at {_listed(prolo)} is not covered by Medicare. "
            "Check the payer's policy and tell the patient before the session."
        )
    return SessionCodes(
        lines=tuple(lines),
        warnings=tuple(warnings),
        not_counted=tuple(not_counted),
        source="[S45], [S45c], [S47], [S48], [S71], [S71b], [S72], [S72b], [S73], [S74], [S74b]",
    )
