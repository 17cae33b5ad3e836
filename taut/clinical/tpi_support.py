"""Injections where there is a trigger point: does the exam support a TPI for the indication?

A trigger point injection treats an active trigger point: injection is indicated for active
trigger points only, latent ones need no treatment, and tenderness alone is not an
indication [S8c]. An active trigger point is the Delphi 2018 essential cluster (taut band,
hypersensitive spot, referred pain) with the patient recognising the pain [S5]
(``taut.clinical.trigger_points.classify``). So whatever the indication (myofascial pain,
tension-type headache, neck or low-back muscle pain, fibromyalgia), a TPI is documented
only once the exam has found at least one active trigger point.

For headache and neck or low-back pain the Medicare LCDs say so in as many words:
L36859 (same content as L34211, revision effective 04/01/2024) does not cover headache,
neck or back pain without true trigger points [S50] (status: secondary, from a summary of
the LCD; clinical.md §7c). Taut shows that exclusion beside the refusal.

Taut records sites by muscle, not by indication, and a visit's indications share one exam,
so the rule reads the visit's exam as a whole: at least one active point. Which muscles may
be injected (one whose point is latent or not confirmed needs a reason) is a separate rule.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from taut.clinical.screening import Indication
from taut.clinical.trigger_points import Kind

VERSION = "2026.1"

SOURCE = "[S8c], [S5]"
LCD_SOURCE = "[S50] (L36859, same content as L34211, 2024)"

#: The indications the Medicare LCD names when it excludes pain without true trigger points.
LCD_EXCLUDED = {
    Indication.TENSION_TYPE_HEADACHE: "headache",
    Indication.NECK_MUSCLE_PAIN: "neck pain",
    Indication.LOW_BACK_MUSCLE_PAIN: "low-back pain",
}

LCD_TEXT = (
    "Medicare LCD L36859 (as L34211, 2024): headache, neck or back pain without true trigger "
    "points is not covered."
)


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    source: str
    status: str = "verified"


@dataclass(frozen=True)
class Support:
    """Whether the exam supports a TPI (``supported``), the ``reasons`` (each with its
    source), and ``active``: how many active trigger points the exam found."""

    supported: bool
    reasons: tuple[Reason, ...]
    active: int
    version: str = VERSION

    @property
    def why(self) -> str:
        return " ".join(r.text for r in self.reasons)


def exam_supports_tpi(indications: Iterable[str] | None, kinds: Iterable[str]) -> Support:
    """Does the exam support documenting a TPI for the visit's ``indications``?

    ``indications``: ``screening.Indication`` values (None: not assessed yet, which the
    screening verdict already blocks). ``kinds``: the ``trigger_points.Kind`` of each point
    examined at the visit. Supported when at least one is active. Otherwise refused, with
    what the exam found, and for headache, neck or low-back pain the LCD's exclusion.

    Source: [S8c] (injection for active trigger points only; tenderness alone is not an
    indication), [S5] (Delphi 2018 cluster and recognition). Status: verified. The LCD
    exclusion: [S50], status secondary.
    """
    try:
        found = [Kind(k) for k in kinds]
    except ValueError as error:
        raise ValueError(f"kinds: {error}") from None
    try:
        wanted = [Indication(i) for i in indications or ()]
    except ValueError as error:
        raise ValueError(f"indications: {error}") from None
    active = found.count(Kind.ACTIVE)
    if active:
        return Support(True, (), active)
    reasons = [_no_active(found)]
    named = [LCD_EXCLUDED[i] for i in wanted if i in LCD_EXCLUDED]
    if named:
        reasons.append(
            Reason(
                "lcd_no_true_trigger_point",
                f"{LCD_TEXT} This visit's indication: {', '.join(named)}.",
                LCD_SOURCE,
                "secondary",
            )
        )
    return Support(False, tuple(reasons), 0)


def _no_active(found: list[Kind]) -> Reason:
    if not found:
        seen = "No trigger point has been examined yet."
    else:
        counts = {kind: found.count(kind) for kind in Kind if kind in found}
        extra = {Kind.LATENT: " (no injection needed)"}
        parts = [f"{n} {kind.label.lower()}{extra.get(kind, '')}" for kind, n in counts.items()]
        seen = f"The exam found no active trigger point ({', '.join(parts)})."
    return Reason(
        "no_active_trigger_point",
        f"{seen} A trigger point injection needs at least one active trigger point: a taut "
        "band, a hypersensitive spot and referred pain, and the patient recognises the pain.",
        SOURCE,
    )
