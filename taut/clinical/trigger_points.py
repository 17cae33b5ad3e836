"""Classify an examined trigger point (TrP) from its findings: active, latent or neither.

The Delphi consensus of 2018 [S5] (60 experts, 12 countries) names an essential cluster of
three findings: a taut band, a hypersensitive spot and referred pain. An active TrP also
reproduces the patient's complaint, which the patient recognises as their own pain [S5];
a latent one has no spontaneous pain and hurts only when pressed [S11a], [S4b]. Injection
is indicated for active TrPs only; latent ones need no treatment [S8c].

Findings are three-valued: ``True`` (found), ``False`` (looked for, not found) and
``None`` (not examined). The cluster is read with Kleene's logic: one ``False`` makes the
cluster false whatever the unexamined findings are, so "not confirmed" is certain; with no
``False`` but a ``None`` the cluster is unknown and the point is "incomplete", naming what
is missing. Taut never guesses a finding.

Twitch response, jump sign and a painful limit to stretch are supporting findings: they
are reported, never required, and never change the classification.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from dataclasses import dataclass, fields
from enum import StrEnum

VERSION = "2026.1"

VERIFIED = "verified"
UNVERIFIED = "unverified"


class Kind(StrEnum):
    ACTIVE = "active"  # essential cluster present and the patient recognises the pain
    LATENT = "latent"  # essential cluster present, pain not recognised
    NOT_CONFIRMED = "not_confirmed"  # a cluster finding was looked for and not found
    INCOMPLETE = "incomplete"  # a finding needed to decide was not examined

    @property
    def label(self) -> str:
        """The classification in words, as a clinician reads it ("Not confirmed")."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.ACTIVE: "Active",
    Kind.LATENT: "Latent",
    Kind.NOT_CONFIRMED: "Not confirmed",
    Kind.INCOMPLETE: "Not fully examined",
}


# The Delphi essential cluster [S5], in examination order.
CLUSTER = ("taut_band", "spot_tenderness", "referred_pain")
# Supporting findings: reported, never required.
SUPPORTING = ("twitch", "jump_sign", "limited_stretch")

LABELS = {
    "taut_band": "Taut band",
    "spot_tenderness": "Hypersensitive spot (spot tenderness)",
    "referred_pain": "Referred pain or sensation",
    "recognised": "Pain recognition",
    "twitch": "Local twitch response",
    "jump_sign": "Jump sign",
    "limited_stretch": "Painful limit to stretch",
}

# Where each supporting finding is defined or used, and why it is only supporting.
_SUPPORTING_SOURCE = {
    "twitch": "[S8a], [S5], [S6], [S7]",
    "jump_sign": "[S8a], [S5], [S7b]",
    "limited_stretch": "[S11a], [S5], [S7b]",
}
_SUPPORTING_NOTE = {
    "twitch": "the least reliable finding between examiners",
    "jump_sign": "used by few trials",
    "limited_stretch": "latent trigger points may also restrict movement",
}


@dataclass(frozen=True, kw_only=True)
class Findings:
    """What the examiner found at one point. ``None`` always means "not examined".

    ``referred_pain`` includes referred sensations that are not pain (deep ache,
    tingling, burning) [S5]. ``recognised``: the patient recognises the pain as the pain
    they came with (it reproduces their complaint) [S5].
    """

    taut_band: bool | None = None
    spot_tenderness: bool | None = None
    referred_pain: bool | None = None
    recognised: bool | None = None
    twitch: bool | None = None
    jump_sign: bool | None = None
    limited_stretch: bool | None = None

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None and not isinstance(value, bool):
                raise ValueError(f"{field.name}: expected True, False or None, got {value!r}")


@dataclass(frozen=True)
class Reason:
    """One line of the explanation: a stable ``code``, plain ``text``, its source and status."""

    code: str
    text: str
    source: str
    status: str = VERIFIED


@dataclass(frozen=True)
class Classification:
    """The kind of trigger point, every reason, the findings still ``missing``, the version."""

    kind: Kind
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...] = ()
    version: str = VERSION


def _names(names: list[str]) -> str:
    labels = [LABELS[name].lower() for name in names]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _kind(findings: Findings) -> tuple[Kind, list[str], list[str]]:
    """The kind, the cluster findings found absent, and the findings needed but missing."""
    cluster = {name: getattr(findings, name) for name in CLUSTER}
    absent = [name for name, value in cluster.items() if value is False]
    if absent:
        return Kind.NOT_CONFIRMED, absent, []
    missing = [name for name, value in cluster.items() if value is None]
    if findings.recognised is None:
        missing.append("recognised")
    if missing:
        return Kind.INCOMPLETE, [], missing
    return (Kind.ACTIVE if findings.recognised else Kind.LATENT), [], []


def classify(findings: Findings) -> Classification:
    """Classify one examined point as active, latent, not confirmed or incomplete.

    Active: taut band, hypersensitive spot and referred pain all found, and the patient
    recognises the pain. Latent: the three found, the pain not recognised. Not confirmed:
    any of the three looked for and not found (certain, whatever was not examined).
    Incomplete: none of the three absent but one not examined, or the three found but
    recognition not asked; ``missing`` names the fields. Supporting findings (twitch,
    jump sign, limited stretch) are listed and never change the kind.

    Source: [S5] (Delphi 2018: essential cluster; active vs latent by recognition),
    [S11a], [S4b] (active and latent definitions), [S8c] (only active need injection).
    Status: verified (seen). Simons' 1999 criteria, which require recognition but treat
    referred pain as confirmatory, are memory in the reference and not used.
    """
    if not isinstance(findings, Findings):
        raise ValueError(f"findings: expected Findings, got {findings!r}")
    kind, absent, missing = _kind(findings)
    reasons = [_conclusion(kind, findings, absent, missing)]
    for name in CLUSTER:
        reasons.append(_cluster_reason(name, getattr(findings, name), kind))
    recognition = _recognition_reason(findings.recognised, kind)
    if recognition is not None:
        reasons.append(recognition)
    for name in SUPPORTING:
        supporting = _supporting_reason(name, getattr(findings, name))
        if supporting is not None:
            reasons.append(supporting)
    return Classification(kind=kind, reasons=tuple(reasons), missing=tuple(missing))


def _conclusion(kind: Kind, findings: Findings, absent: list[str], missing: list[str]) -> Reason:
    if kind is Kind.ACTIVE:
        return Reason(
            "active",
            "Active trigger point: taut band, hypersensitive spot and referred pain are all "
            "present, and the patient recognises the pain as their complaint.",
            "[S5], [S11a], [S4b]",
        )
    if kind is Kind.LATENT:
        return Reason(
            "latent",
            "Latent trigger point: taut band, hypersensitive spot and referred pain are all "
            "present, but the patient does not recognise the pain. Latent trigger points need "
            "no injection.",
            "[S5], [S11a], [S4b], [S8c]",
        )
    if kind is Kind.NOT_CONFIRMED:
        text = (
            "Not confirmed as a trigger point: it needs a taut band, a hypersensitive spot and "
            f"referred pain, and {_names(absent)} {'was' if len(absent) == 1 else 'were'} "
            "not found."
        )
        if absent == ["referred_pain"] and findings.spot_tenderness:
            text += " Tenderness without referral is a tender point, not a trigger point."
            return Reason("not_confirmed", text, "[S5], [S11a], [S4]")
        return Reason("not_confirmed", text, "[S5]")
    return Reason(
        "incomplete",
        f"Not classified yet: {_names(missing)} not examined. Record "
        f"{'it' if len(missing) == 1 else 'them'} to classify the point; Taut does not guess "
        "a finding.",
        "[S5]",
    )


def _cluster_reason(name: str, value: bool | None, kind: Kind) -> Reason:
    label = LABELS[name]
    if value is True:
        return Reason(f"{name}_present", f"{label}: present (essential finding).", "[S5]")
    if value is False:
        return Reason(f"{name}_absent", f"{label}: not found (essential finding).", "[S5]")
    if kind is Kind.NOT_CONFIRMED:
        text = f"{label}: not examined; it would not change the result."
    else:
        text = f"{label}: not examined; needed to classify the point."
    return Reason(f"{name}_not_examined", text, "[S5]")


def _recognition_reason(value: bool | None, kind: Kind) -> Reason | None:
    if value is None:
        if kind is Kind.NOT_CONFIRMED:
            return None
        return Reason(
            "recognised_not_examined",
            "Pain recognition: not asked; needed to tell an active from a latent trigger point.",
            "[S5]",
        )
    if value:
        code, text = "recognised", "the patient recognises the pain as their complaint"
        marks = " (marks an active trigger point)" if kind is Kind.ACTIVE else ""
        return Reason(code, f"Pain recognition: {text}{marks}.", "[S5], [S11a]")
    code, text = "not_recognised", "the patient does not recognise the pain"
    marks = " (marks a latent trigger point)" if kind is Kind.LATENT else ""
    return Reason(code, f"Pain recognition: {text}{marks}.", "[S5], [S11a], [S4b]")


def _supporting_reason(name: str, value: bool | None) -> Reason | None:
    if value is None:
        return None
    label = LABELS[name]
    found = "present" if value else "not found"
    return Reason(
        f"{name}_{'present' if value else 'absent'}",
        f"{label}: {found}. A supporting finding, not required ({_SUPPORTING_NOTE[name]}).",
        _SUPPORTING_SOURCE[name],
    )


def injection_indicated(kind: Kind | str) -> bool:
    """Whether a trigger point of this kind is one to inject: active ones only.

    Latent trigger points are clinically asymptomatic and need no treatment; tenderness
    alone is not an indication. Source: [S8c] (Medscape). Status: verified (seen).
    """
    try:
        return Kind(kind) is Kind.ACTIVE
    except ValueError:
        known = ", ".join(Kind)
        raise ValueError(f"kind: unknown kind {kind!r}; known kinds: {known}") from None
