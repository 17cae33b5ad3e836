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

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from taut.clinical import atlas, payer
from taut.clinical.inputs import member_of, read_text
from taut.clinical.trigger_points import Kind

VERSION = "2026.1"

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
    """Whether an atlas muscle is a high-risk injection site, and why (None: it is not).

    High risk: the atlas marks it ("HIGH RISK": suboccipitals, scalenes, intercostals,
    pectoralis minor, subclavius, piriformis …), or it lies on the chest wall (payer region
    "chest wall": pectoralis major and minor, serratus anterior, subclavius, intercostals),
    where pneumothorax is reported after TPI.
    Source: the referral atlas's injection risks (secondary); [S9], [S14] (pneumothorax at
    intercostal and chest-wall sites). Status: secondary; the chest-wall grouping is Taut's.
    """
    if muscle not in atlas.MUSCLES:
        raise ValueError(f"muscle: unknown atlas muscle {muscle!r}")
    found = atlas.MUSCLES[muscle]
    if found.high_risk and found.injection_risk:
        return HighRisk(muscle, found.injection_risk, HIGH_RISK_SOURCE)
    if payer.MUSCLE_REGION.get(muscle) is payer.AnatomicalRegion.CHEST_WALL:
        text = found.injection_risk or "Chest wall: the pleura lies beneath."
        return HighRisk(muscle, f"Chest wall, pleura beneath: {text}", "[S9], [S14]")
    return None


@dataclass(frozen=True)
class SiteNeeds:
    """What recording a site needs from the clinician, with the reasons to show.

    ``confirm_risk``: a landmark-guided needle at a high-risk site (``risk`` says why);
    ``suggest_ultrasound`` goes with it. ``point_reason``: the muscle has no confirmed active
    trigger point (``point`` says what the exam found).
    """

    confirm_risk: bool
    suggest_ultrasound: bool
    risk: HighRisk | None
    point_reason: bool
    point: PointStatus
    texts: tuple[str, ...]
    version: str = VERSION


def site_needs(*, muscle: str, landmark: bool, injected: bool, point: PointStatus) -> SiteNeeds:
    """What the clinician must confirm or explain to record this site.

    A landmark-guided needle (``landmark``) at a ``high_risk`` site: confirm the risk, and
    ultrasound is suggested (with the LCDs' non-coverage of it). An injection (``injected``:
    an injectate, not dry needling) into a muscle whose ``point`` is not an active trigger
    point: give a reason.
    Source: the atlas and [S9], [S14] (high-risk sites); [S8c] (injection is for active
    trigger points), [S49], [S50] (coverage needs a documented trigger point). Status:
    secondary; asking for a reason (not refusing) is Taut's.
    """
    if not isinstance(landmark, bool) or not isinstance(injected, bool):
        raise ValueError("landmark, injected: expected True or False")
    point = PointStatus(point)
    risk = high_risk(muscle)
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


def counts_toward_tpi(point: PointStatus, reason: str) -> tuple[bool, str]:
    """Whether an injected muscle counts toward 20552/20553, and why.

    Active trigger point: counts. Latent: counts only with the reason recorded (the LCDs'
    alternative criterion of limited movement, which a latent point may cause [S11a]).
    Not confirmed, exam not complete or not examined: never counts, whatever the reason:
    no trigger point is documented.
    Source: [S49], [S50] (a trigger point documented on the exam; not covered without true
    trigger points), [S8c] (latent points need no treatment), [S11a]. Status: secondary;
    counting a latent point with a reason is Taut's reading.
    """
    point = PointStatus(point)
    reason = read_text(reason, "reason").strip()
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
