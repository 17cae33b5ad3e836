"""Classify an examined ligament or tendon site from its findings (issue 15): not the muscle
trigger-point criteria (``trigger_points``), which need a taut band.

At a tendon origin or insertion the exam looks for tenderness at the enthesis that
reproduces the patient's pain, and for pain on resisted movement of the muscle or on
stretch: lateral elbow pain is tender just distal and anterior to the lateral epicondyle,
and Cozen's test (resisted wrist extension) reproduces the pain under the examiner's thumb
at the common extensor origin [S76]. At a ligament, Hackett's exam is palpation along the
ligament to reproduce the patient's local and referred pain [S77]. Swelling is a sign of the
inflammation or pathological change that tendon and ligament injections treat [S75].

Findings are three-valued: ``True`` (found), ``False`` (looked for, not found) and ``None``
(not examined). The classification is Taut's own reading of these sources, as for trigger
points: point tenderness and the patient's recognition of the pain decide it; pain on
stress and swelling are supporting findings, reported and never required. **Unverified**:
no source sets these thresholds; the clinician decides, and ``injection_indicated`` only
says when Taut asks for no reason (``site_checks.site_needs``).

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9;
issue 15 adds [S71]–[S78] there).
"""

from dataclasses import dataclass, fields
from enum import StrEnum

from taut.clinical.inputs import member_of

VERSION = "2026.1"

SECONDARY = "secondary"
UNVERIFIED = "unverified"
SOURCE = "[S75], [S76], [S77]"


class Kind(StrEnum):
    SYMPTOMATIC = "symptomatic"  # point tenderness, and the patient recognises the pain
    TENDER = "tender"  # point tenderness; the pain not recognised, or not asked
    NOT_TENDER = "not_tender"  # point tenderness looked for, not found
    INCOMPLETE = "incomplete"  # point tenderness not examined

    @property
    def label(self) -> str:
        """The classification in words, as a clinician reads it ("Tender, pain not recognised")."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.SYMPTOMATIC: "Symptomatic (tender, recognised pain)",
    Kind.TENDER: "Tender, pain not recognised",
    Kind.NOT_TENDER: "Not tender",
    Kind.INCOMPLETE: "Not fully examined",
}

LABELS = {
    "point_tenderness": "Point tenderness at the origin or insertion, or along the ligament",
    "recognised": "Reproduces the patient's recognised pain",
    "pain_on_stress": "Pain on stretch or resisted movement",
    "swelling": "Swelling",
}


@dataclass(frozen=True)
class Findings:
    """What the exam found at one ligament or tendon site; each True, False or None."""

    point_tenderness: bool | None = None
    recognised: bool | None = None
    pain_on_stress: bool | None = None
    swelling: bool | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and not isinstance(value, bool):
                raise ValueError(f"{f.name}: expected True, False or None, got {value!r}")


@dataclass(frozen=True)
class Reason:
    """One line of why: the words, the source and its status."""

    text: str
    source: str
    status: str


@dataclass(frozen=True)
class Classification:
    kind: Kind
    reasons: tuple[Reason, ...]
    source: str = SOURCE
    version: str = VERSION


# Each finding's source and status: tenderness and resisted movement at an enthesis are
# seen in a clinical summary [S76]; reproducing the pain by palpating a ligament is Hackett's
# exam, read only in secondary sources [S77]; swelling as a sign of the inflammation an
# injection treats is the tendon/ligament injection LCD's indication [S75].
_FINDING_SOURCE = {
    "point_tenderness": ("[S76] (enthesis); [S77] (along the ligament)", SECONDARY),
    "recognised": ("[S77] (palpation reproduces the pain); [S76] (Cozen's test)", SECONDARY),
    "pain_on_stress": ("[S76] (Cozen's test: resisted wrist extension)", SECONDARY),
    "swelling": ("[S75] (inflammation or other pathological change)", SECONDARY),
}
_RULE_SOURCE = f"Taut's reading of {SOURCE}"


def _finding(name: str, value: bool | None) -> Reason:
    state = {True: "found", False: "looked for, not found", None: "not examined"}[value]
    source, status = _FINDING_SOURCE[name]
    return Reason(f"{LABELS[name]}: {state}.", source, status)


def classify(findings: Findings) -> Classification:
    """The kind of an examined ligament or tendon site, with every reason and its source.

    Point tenderness not examined → incomplete; looked for and not found → not tender;
    found, with the patient's recognised pain reproduced → symptomatic; found, the pain not
    recognised or not asked → tender. Pain on stretch or resisted movement and swelling are
    listed as supporting findings and never change the kind.
    Source: [S76] (tenderness at the enthesis; Cozen's test reproduces the pain), [S77]
    (Hackett: palpation along the ligament reproduces the local and referred pain), [S75]
    (injection for pain from inflammation or pathological change). Status: findings
    secondary; the classification is Taut's own (**unverified**).
    """
    if not isinstance(findings, Findings):
        raise ValueError(f"findings: expected Findings, got {findings!r}")
    tender, recognised = findings.point_tenderness, findings.recognised
    if tender is None:
        kind = Kind.INCOMPLETE
        conclusion = "Point tenderness was not examined: examine the site before deciding."
    elif tender is False:
        kind = Kind.NOT_TENDER
        conclusion = "No point tenderness at the site: it does not explain the pain on this exam."
    elif recognised is True:
        kind = Kind.SYMPTOMATIC
        conclusion = "Tender, and pressing it reproduces the pain the patient recognises."
    else:
        kind = Kind.TENDER
        asked = "was not asked" if recognised is None else "is not the patient's own pain"
        conclusion = f"Tender, but the pain {asked}: a tender site alone is not the complaint."
    reasons = [Reason(conclusion, _RULE_SOURCE, UNVERIFIED), _finding("point_tenderness", tender)]
    if tender:
        reasons.append(_finding("recognised", recognised))
    for name in ("pain_on_stress", "swelling"):
        value = getattr(findings, name)
        if value is not None:
            reason = _finding(name, value)
            reasons.append(Reason(f"Supporting: {reason.text}", reason.source, reason.status))
    return Classification(kind, tuple(reasons))


def injection_indicated(kind: Kind | str) -> bool:
    """Whether the exam supports injecting this site without a recorded reason: only a
    symptomatic site (tender, and the patient recognises the pain).

    Source: [S75] (injection for pain from the structure), [S77] (reproducing the pain).
    Status: **unverified** (Taut's reading, as ``trigger_points.injection_indicated``).
    """
    found = member_of(Kind, kind)
    if found is None:
        raise ValueError(f"kind: unknown structure exam kind {kind!r}")
    return found is Kind.SYMPTOMATIC
