"""What a clinician must confirm before an injection site is recorded: the risk of a
landmark-guided needle at a high-risk site, and why a muscle without a confirmed active
trigger point is injected.

**High-risk sites.** A site is high risk when the referral atlas marks it so (its injection
risk begins "HIGH RISK": the vertebral artery under the suboccipitals, the pleura under the
intercostals, the brachial plexus beside the scalenes …) or when it lies on the chest wall,
where pneumothorax is the reported complication (pectoralis, serratus anterior) [S9], [S14].
A landmark-guided injection there asks the clinician to confirm the risk and suggests
ultrasound. Ultrasound guidance removes the question, but the Medicare LCDs call it
investigational and do not cover it [S49], [S50]: the suggestion says so.

**Unconfirmed points.** Injection is indicated for active trigger points; latent ones need no
treatment [S8c]. The LCDs cover TPI where a trigger point is documented on the exam, not
headache, neck or back pain "in the absence of true trigger points" [S49], [S50]. So an
injection into a muscle whose exam found no trigger point (not confirmed), found only a
latent one, or has no complete exam asks for a reason, which goes on the note.

**Ligament and tendon sites** (issue 15) are not trigger points: they never count toward
20552/20553 (``session_coding`` codes them 20550/20551), their exam is
``structure_exam`` (a reason is asked unless it is symptomatic), their high-risk flag and
note are the structure atlas's, and a steroid recorded at one shows the atlas's steroid
caution for that site (``steroid_site_cautions``). Where the atlas says no steroid into the
tendon (``steroid_avoid``: the Achilles insertion, the patellar tendon) a steroid there is
recorded only with the clinician's reason (``steroid_reason_needed``), shown on the note.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from taut.clinical import atlas, payer, structure_exam
from taut.clinical.inputs import member_of, read_collection, read_text
from taut.clinical.trigger_points import Kind

VERSION = "2026.3"  # 2026.2: ligament and tendon sites (issue 15); 2026.3: steroid reason

HIGH_RISK_SOURCE = "referral atlas (secondary); chest wall [S9], [S14]"
ULTRASOUND_NOT_COVERED = (
    "Medicare LCDs L34211 and L36859 call ultrasound guidance investigational and do not "
    "cover it [S49], [S50]."
)


class PointStatus(StrEnum):
    """What the exam found at a muscle and side: a ``trigger_points.Kind``, or not examined."""

    ACTIVE = Kind.ACTIVE.value
    LATENT = Kind.LATENT.value
    NOT_CONFIRMED = Kind.NOT_CONFIRMED.value
    INCOMPLETE = Kind.INCOMPLETE.value
    NOT_EXAMINED = "not_examined"


POINT_LABELS = {
    PointStatus.ACTIVE: "active trigger point",
    PointStatus.LATENT: "latent trigger point",
    PointStatus.NOT_CONFIRMED: "no trigger point confirmed on the exam",
    PointStatus.INCOMPLETE: "exam not complete",
    PointStatus.NOT_EXAMINED: "not examined",
}
STRUCTURE_LABELS = {
    structure_exam.Kind.SYMPTOMATIC: "tender, with the patient's recognised pain",
    structure_exam.Kind.TENDER: "tender, but the pain is not recognised (or not asked)",
    structure_exam.Kind.NOT_TENDER: "not tender on the exam",
    structure_exam.Kind.INCOMPLETE: "exam not complete",
}
STRUCTURE_NOT_TPI = (
    "a ligament or tendon site, not a trigger point: coded 20550/20551, never 20552/20553"
)


def point_status(kind: str | None) -> PointStatus:
    """The point status of a muscle and side from its exam finding's kind (None: no finding).

    Not a rule: a reading of ``trigger_points.classify``'s result.
    """
    if kind is None:
        return PointStatus.NOT_EXAMINED
    status = member_of(PointStatus, kind)
    if status is None:
        raise ValueError(f"kind: unknown trigger point kind {kind!r}")
    return status


@dataclass(frozen=True)
class HighRisk:
    """Why a site is high risk, in the atlas's words, and the source."""

    muscle: str
    text: str
    source: str


def high_risk(muscle: str) -> HighRisk | None:
    """Whether an atlas site is a high-risk injection site, and why (None: it is not).

    High risk: the atlas marks it ("HIGH RISK": suboccipitals, scalenes, intercostals,
    pectoralis minor, subclavius, piriformis …), or it lies on the chest wall (payer region
    "chest wall": pectoralis major and minor, serratus anterior, subclavius, intercostals),
    where pneumothorax is reported after TPI. A ligament or tendon site is high risk when
    the structure atlas marks it so (``Structure.high_risk``), with its injection-risk note.
    Source: the referral atlas's injection risks (secondary); [S9], [S14] (pneumothorax at
    intercostal and chest-wall sites); the structure atlas's sources. Status: secondary; the
    chest-wall grouping is Taut's.
    """
    structure = atlas.STRUCTURES.get(muscle) if isinstance(muscle, str) else None
    if structure is not None:
        if not structure.high_risk:
            return None
        text = structure.injection_risk or "; ".join(structure.cautions) or "High risk."
        return HighRisk(muscle, text, "structure atlas (issue 15): " + _sources(structure))
    if muscle not in atlas.MUSCLES:
        raise ValueError(f"muscle: unknown atlas site {muscle!r}")
    found = atlas.MUSCLES[muscle]
    if found.high_risk and found.injection_risk:
        return HighRisk(muscle, found.injection_risk, HIGH_RISK_SOURCE)
    if payer.MUSCLE_REGION.get(muscle) is payer.AnatomicalRegion.CHEST_WALL:
        text = found.injection_risk or "Chest wall: the pleura lies beneath."
        return HighRisk(muscle, f"Chest wall, pleura beneath: {text}", "[S9], [S14]")
    return None


class SteroidCaution(NamedTuple):
    """The atlas's caution for a steroid at one ligament or tendon site: a (site, text,
    source) triple that also has names."""

    site: str
    text: str
    source: str


@dataclass(frozen=True)
class SiteNeeds:
    """What recording a site needs from the clinician, with the reasons to show.

    ``confirm_risk``: a landmark-guided needle at a high-risk site (``risk`` says why);
    ``suggest_ultrasound`` goes with it. ``point_reason``: the muscle has no confirmed active
    trigger point (``point`` says what the exam found). ``steroid_reason``: a steroid at a
    tendon the atlas says takes none (``steroid`` is the atlas's caution and source).
    ``texts`` are in that order: risk, point, steroid.
    """

    confirm_risk: bool
    suggest_ultrasound: bool
    risk: HighRisk | None
    point_reason: bool
    point: PointStatus
    texts: tuple[str, ...]
    steroid_reason: bool = False
    steroid: SteroidCaution | None = None
    version: str = VERSION


def structure_status(kind: str | None) -> structure_exam.Kind | None:
    """A ligament or tendon site's exam kind (``structure_exam.Kind``); None: not examined
    (``"not_examined"`` or None). Not a rule: a reading of ``structure_exam.classify``.
    """
    if kind is None or kind == PointStatus.NOT_EXAMINED:
        return None
    found = member_of(structure_exam.Kind, kind)
    if found is None:
        raise ValueError(f"point: unknown ligament or tendon exam kind {kind!r}")
    return found


def _structure_reason(name: str, point: str | None) -> str | None:
    """Why a ligament or tendon site needs a reason (None: it needs none)."""
    kind = structure_status(point)
    if kind is not None and structure_exam.injection_indicated(kind):
        return None
    found = STRUCTURE_LABELS[kind] if kind is not None else "not examined"
    return (
        f"{name}: {found}. Injection is for a site that is tender and reproduces the "
        "patient's pain [S75], [S77] (Taut's reading, unverified); give the reason for "
        "injecting it."
    )


def site_needs(
    *,
    muscle: str,
    landmark: bool,
    injected: bool,
    point: PointStatus | str | None,
    steroid: bool = False,
) -> SiteNeeds:
    """What the clinician must confirm or explain to record this site.

    A landmark-guided needle (``landmark``) at a ``high_risk`` site: confirm the risk, and
    ultrasound is suggested (with the LCDs' non-coverage of it). An injection (``injected``:
    an injectate, not dry needling) into a muscle whose ``point`` is not an active trigger
    point: give a reason. ``muscle`` may be any atlas site: at a ligament or tendon site
    ``point`` is its ``structure_exam.Kind`` (or "not_examined"/None), and any kind but
    symptomatic asks for a reason. A ``steroid`` recorded at a tendon the atlas says takes
    none asks for the clinician's reason too (``steroid_reason_needed``).
    Source: the atlas and [S9], [S14] (high-risk sites); [S8c] (injection is for active
    trigger points), [S49], [S50] (coverage needs a documented trigger point); [S75], [S77]
    (ligament and tendon sites); the structure atlas (no steroid into the tendon). Status:
    secondary; asking for a reason (not refusing) is Taut's; the structure rule is
    unverified.
    """
    if not all(isinstance(flag, bool) for flag in (landmark, injected, steroid)):
        raise ValueError("landmark, injected, steroid: expected True or False")
    risk = high_risk(muscle)
    if muscle in atlas.STRUCTURES:
        structure_name = atlas.STRUCTURES[muscle].name
        texts = []
        confirm = risk is not None and landmark
        if confirm and risk is not None:
            texts.append(
                f"High-risk site: {structure_name}. {risk.text} Confirm the risk to inject by "
                "landmark; ultrasound guidance is suggested."
            )
        why = _structure_reason(structure_name, point) if injected else None
        if why:
            texts.append(why)
        avoid = steroid_reason_needed(muscle, steroid=steroid)
        if avoid is not None:
            texts.append(_steroid_reason_text(structure_name, avoid))
        return SiteNeeds(
            confirm,
            confirm,
            risk,
            why is not None,
            PointStatus.NOT_EXAMINED,
            tuple(texts),
            steroid_reason=avoid is not None,
            steroid=avoid,
        )
    if point is None:
        raise ValueError("point: give the muscle's PointStatus (not_examined: no exam)")
    point = PointStatus(point)
    name = atlas.MUSCLES[muscle].name
    texts = []
    confirm = risk is not None and landmark
    if confirm and risk is not None:
        texts.append(
            f"High-risk site: {name}. {risk.text} Confirm the risk to inject by landmark; "
            f"ultrasound guidance is suggested. {ULTRASOUND_NOT_COVERED}"
        )
    needs_reason = injected and point is not PointStatus.ACTIVE
    if needs_reason:
        texts.append(
            f"{name}: {POINT_LABELS[point]}. Injection is for active trigger points [S8c]; "
            "give the reason for injecting this muscle. "
            + (
                "A latent point is billed only with the reason recorded."
                if point is PointStatus.LATENT
                else "It is not counted toward 20552/20553."
            )
        )
    return SiteNeeds(confirm, confirm, risk, needs_reason, point, tuple(texts))


def counts_toward_tpi(
    point: PointStatus, reason: str, *, site: str | None = None
) -> tuple[bool, str]:
    """Whether an injected muscle counts toward 20552/20553, and why.

    Active trigger point: counts. Latent: counts only with the reason recorded (the LCDs'
    alternative criterion of limited movement, which a latent point may cause [S11a]).
    Not confirmed, exam not complete or not examined: never counts, whatever the reason:
    no trigger point is documented. A ligament or tendon ``site`` never counts: it is no
    trigger point (coded 20550/20551 [S71]).
    Source: [S49], [S50] (a trigger point documented on the exam; not covered without true
    trigger points), [S8c] (latent points need no treatment), [S11a], [S71]. Status:
    secondary; counting a latent point with a reason is Taut's reading.
    """
    reason = read_text(reason, "reason").strip()
    if site is not None and site in atlas.STRUCTURES:
        return False, STRUCTURE_NOT_TPI
    point = PointStatus(point)
    if point is PointStatus.ACTIVE:
        return True, "active trigger point"
    if point is PointStatus.LATENT:
        if reason:
            return True, f"latent trigger point, reason recorded: {reason}"
        return False, "latent trigger point with no reason recorded"
    why = f"{POINT_LABELS[point]}; not counted toward 20552/20553"
    return False, f"{why} (reason: {reason})" if reason else why


def high_risk_muscles(muscles: Iterable[str]) -> tuple[str, ...]:
    """The high-risk muscles among ``muscles``, in order. Source: as :func:`high_risk`."""
    return tuple(m for m in dict.fromkeys(muscles) if high_risk(m) is not None)


def _sources(structure: atlas.Structure) -> str:
    return "; ".join(structure.sources) or "no source recorded yet"


STEROID_AVOID_TEXT = (
    "No steroid into the substance of this weight-bearing tendon: injecting a steroid into "
    "a tendon risks its rupture."
)


def steroid_site_cautions(site_ids: Iterable[str]) -> tuple[SteroidCaution, ...]:
    """The steroid cautions of the sites where a steroid is recorded, in first-seen order,
    each site once: the structure atlas's ``steroid_caution``, or ``STEROID_AVOID_TEXT`` for
    a tendon whose substance takes no steroid (``steroid_avoid``) and has no words of its
    own. Muscles have
    none here (their steroid rules are ``steroids``). Unknown ids raise ValueError naming
    the place (``site_ids[1]``). Each item is a (site, text, source) named tuple.
    Source: the structure atlas entries' sources (issue 15). Status: as each entry's
    ``evidence``.
    """
    found: dict[str, SteroidCaution] = {}
    for index, site in enumerate(read_collection(site_ids, "site_ids", "a list of site ids")):
        if not isinstance(site, str) or site not in atlas.SITES:
            raise ValueError(f"site_ids[{index}]: unknown atlas site {site!r}")
        structure = atlas.STRUCTURES.get(site)
        if structure is None or site in found:
            continue
        text = structure.steroid_caution or (STEROID_AVOID_TEXT if structure.steroid_avoid else "")
        if text:
            found[site] = SteroidCaution(site, text, _sources(structure))
    return tuple(found.values())


STEROID_REASON_EXAMPLE = "peritendinous, under ultrasound, not into the tendon"


def steroid_reason_needed(site: str, *, steroid: bool) -> SteroidCaution | None:
    """Whether recording ``site`` needs the clinician's reason for its steroid, with the
    atlas's caution and source (None: it needs none).

    A steroid (``steroid``: one is recorded at the site) at a tendon the structure atlas
    marks ``steroid_avoid`` (no steroid into its substance: the Achilles insertion, the
    patellar tendon) needs the clinician's reason, such as "peritendinous, under ultrasound,
    not into the tendon": a warning alone is not enough (hazard H18). Other structures (their
    caution is shown, nothing asked), muscles and a site without a steroid need none.
    Unknown ``site`` raises ValueError naming it.
    Source: the structure atlas entries' sources (intratendinous steroid and tendon rupture).
    Status: as each entry's ``evidence``; asking for a reason (not refusing) is Taut's.
    """
    if not isinstance(steroid, bool):
        raise ValueError("steroid: expected True or False")
    if not isinstance(site, str) or site not in atlas.SITES:
        raise ValueError(f"site: unknown atlas site {site!r}")
    structure = atlas.STRUCTURES.get(site)
    if not steroid or structure is None or not structure.steroid_avoid:
        return None
    return steroid_site_cautions([site])[0]


def _steroid_reason_text(name: str, caution: SteroidCaution) -> str:
    return (
        f"{name}: a steroid is recorded where the atlas says not to inject one into the "
        f"tendon. {caution.text} Give your reason to record it (for example: "
        f"{STEROID_REASON_EXAMPLE}). Source: {caution.source}"
    )
