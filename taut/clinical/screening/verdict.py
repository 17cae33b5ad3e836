"""The screening verdict: ``screen(answers)`` and the reasons it gives.

Sources are the ids of ``../shared/reference/clinical.md`` §9 (see
``docs/clinical-rules.md``). Status words: "verified" (seen in the source),
"secondary" (seen only in a summary of it), "unverified" (clinic policy).
"""

from dataclasses import dataclass
from enum import StrEnum

from taut.clinical import dosing
from taut.clinical.inputs import is_whole
from taut.clinical.screening.answers import Indication, ScreeningAnswers
from taut.clinical.screening.questions import RedFlag

VERSION = "2026.1"

#: BCBS-MA 604 / BCBSA 2.01.103: six weeks of failed conservative therapy [S56] (verified).
CONSERVATIVE_CARE_MIN_WEEKS = 6


class Status(StrEnum):
    ELIGIBLE = "eligible"
    NEEDS_REVIEW = "needs_review"
    NOT_ELIGIBLE = "not_eligible"
    PENDING = "pending"


class ReasonKind(StrEnum):
    EXCLUSION = "exclusion"  # makes the verdict not_eligible
    MISSING = "missing"  # a required answer is None: pending
    REVIEW = "review"  # needs a clinician's recorded decision
    NOTE = "note"  # information only; does not change the status


_RED_FLAG_TEXT = {
    RedFlag.CAUDA_EQUINA: ("signs of cauda equina compression", "S25"),
    RedFlag.MYELOPATHY: ("signs of cervical myelopathy", "S26"),
    RedFlag.FEVER_OR_INFECTION: ("fever or a possible infection", "S9, S25, S26"),
    RedFlag.CANCER: ("a cancer history with new pain or weight loss", "S25, S26"),
    RedFlag.PROGRESSIVE_DEFICIT: ("progressive weakness or numbness", "S25, S26"),
    RedFlag.VASCULAR_NECK: ("symptoms of a neck artery problem", "S26"),
    RedFlag.MAJOR_TRAUMA: ("major trauma", "S25, S27"),
}


@dataclass(frozen=True)
class Reason:
    code: str
    kind: ReasonKind
    text: str
    source: str
    status: str = "verified"


@dataclass(frozen=True)
class Verdict:
    status: Status
    reasons: tuple[Reason, ...]
    version: str = VERSION

    @property
    def missing(self) -> tuple[str, ...]:
        """The answer fields still needed, in the order they were checked."""
        return tuple(r.code.removeprefix("missing.") for r in self.reasons if r.kind == "missing")


def _missing(field_name: str, question: str, source: str) -> Reason:
    text = f"Not answered yet: {question}."
    return Reason(f"missing.{field_name}", ReasonKind.MISSING, text, source)


def screen(
    answers: ScreeningAnswers, *, min_conservative_weeks: int = CONSERVATIVE_CARE_MIN_WEEKS
) -> Verdict:
    """Decide whether the patient may have trigger point injections today.

    Not eligible (refer or defer): any red flag [S25, S26, S27], infection or
    broken skin at the site [S9, S15b], acute muscle trauma at the site [S9],
    allergy to every available agent [S9], an amide allergy (any amide agent or the class:
    product labels, see ``dosing.allergens``), or no indication after assessment
    (tenderness alone is not an indication [S8c]). Needs review: anticoagulant or
    antiplatelet use [S9, S2, S62, S24], bleeding disorder [S9], pregnancy [S63],
    needle phobia (unverified), steroid planned with poorly controlled diabetes
    [S9, S22] (the "avoid" advice is unverified), fibromyalgia where the payer
    calls it investigational [S56], conservative care not tried or shorter than
    ``min_conservative_weeks`` (default 6 weeks, BCBS-MA [S56], verified; the
    LCD also accepts limited movement or diagnostic need, so it is a review, not
    an exclusion [S53]). Missing answers give pending unless an exclusion is known.

    Status: verified where each reason says so; classes (exclusion vs review)
    follow clinical.md §2b and §10 R3, which marks them as a proposal.
    """
    if not is_whole(min_conservative_weeks):
        raise ValueError("min_conservative_weeks: must be a whole number of weeks")
    if min_conservative_weeks < 0:
        raise ValueError("min_conservative_weeks: must not be negative")
    a = answers
    reasons: list[Reason] = []

    for flag in RedFlag:
        what, source = _RED_FLAG_TEXT[flag]
        value = getattr(a, flag.value)
        if value is True:
            reasons.append(
                Reason(
                    f"red_flag.{flag.value}",
                    ReasonKind.EXCLUSION,
                    f"Red flag: {what}. Refer for work-up; do not inject.",
                    source,
                )
            )
        elif value is None:
            reasons.append(_missing(flag.value, f"red flag, {what}", source))

    _exclusion(
        reasons,
        a.site_infection_or_broken_skin,
        "site_infection_or_broken_skin",
        "Infection or broken skin at the planned site. Do not inject there.",
        "S9, S15b",
        "infection or broken skin at the planned site",
    )
    _exclusion(
        reasons,
        a.acute_muscle_trauma_at_site,
        "acute_muscle_trauma_at_site",
        "Acute trauma to the muscle at the planned site. Defer until it has healed.",
        "S9",
        "acute trauma to the muscle at the site",
    )
    _allergies(reasons, a)

    for value, code, text, source, status, question in (
        (
            a.anticoagulant_or_antiplatelet,
            "anticoagulant_or_antiplatelet",
            "Takes an anticoagulant or antiplatelet drug: a relative contraindication. "
            "Weigh bleeding risk; consider a thinner needle.",
            "S9, S2, S62, S24",
            "verified",
            "anticoagulant or antiplatelet use",
        ),
        (
            a.bleeding_disorder,
            "bleeding_disorder",
            "Known bleeding disorder: review its severity before injecting.",
            "S9",
            "verified",
            "bleeding disorder",
        ),
        (
            a.pregnant,
            "pregnant",
            "Pregnant: a precaution for trigger point therapy; trials exclude pregnancy.",
            "S63, S15b",
            "verified",
            "pregnancy",
        ),
        (
            a.needle_phobia,
            "needle_phobia",
            "Fear of needles: a relative contraindication. Discuss before going ahead.",
            "clinic-policy",
            "unverified",
            "needle phobia",
        ),
    ):
        if value is True:
            reasons.append(Reason(code, ReasonKind.REVIEW, text, source, status))
        elif value is None:
            reasons.append(_missing(code, question, source))

    # Steroid with poorly controlled diabetes: three-valued AND.
    if a.steroid_planned is None:
        reasons.append(_missing("steroid_planned", "is a corticosteroid planned", "S9, S22"))
    if a.steroid_planned is not False and a.diabetes_poorly_controlled is None:
        reasons.append(
            _missing("diabetes_poorly_controlled", "poorly controlled diabetes", "S9, S22")
        )
    if a.steroid_planned is True and a.diabetes_poorly_controlled is True:
        reasons.append(
            Reason(
                "steroid_with_poor_diabetes_control",
                ReasonKind.REVIEW,
                "A steroid is planned and diabetes is poorly controlled: steroids raise "
                "blood glucose. Consider leaving the steroid out.",
                "S9, S22",
                "unverified",
            )
        )

    _indications(reasons, a)
    _conservative_care(reasons, a, min_conservative_weeks)
    return Verdict(status=_status(reasons), reasons=tuple(reasons))


def _status(reasons: list[Reason]) -> Status:
    kinds = {r.kind for r in reasons}
    if ReasonKind.EXCLUSION in kinds:
        return Status.NOT_ELIGIBLE
    if ReasonKind.MISSING in kinds:
        return Status.PENDING
    if ReasonKind.REVIEW in kinds:
        return Status.NEEDS_REVIEW
    return Status.ELIGIBLE


def _exclusion(
    reasons: list[Reason], value: bool | None, code: str, text: str, source: str, question: str
) -> None:
    if value is True:
        reasons.append(Reason(code, ReasonKind.EXCLUSION, text, source))
    elif value is None:
        reasons.append(_missing(code, question, source))


def _allergies(reasons: list[Reason], a: ScreeningAnswers) -> None:
    """Allergies by class and excipient (``dosing.allergens``): an amide allergy excludes
    (a clinician may override with a reason), an ester allergy leaves the amides, parabens
    and sulfites restrict the vial."""
    if a.allergic_agents is None:
        reasons.append(_missing("allergic_agents", "allergies to anaesthetic agents", "S9"))
        return
    if not a.allergic_agents:
        return
    if a.available_agents is None:
        reasons.append(_missing("available_agents", "which agents the clinic has today", "S9"))
        return
    ruled_out = dosing.agents_ruled_out(sorted(a.available_agents), allergens=a.allergic_agents)
    remaining = sorted(a.available_agents - set(ruled_out))
    by_class: dict[str, list[tuple[str, dosing.Conflict]]] = {}
    for agent, conflicts in sorted(ruled_out.items()):
        for conflict in conflicts:
            by_class.setdefault(str(conflict.agent_class), []).append((agent, conflict))
    if not remaining:
        reasons.append(
            Reason(
                "allergy_all_agents",
                ReasonKind.EXCLUSION,
                f"Allergic to every agent available ({', '.join(sorted(ruled_out))}). Do not "
                "inject until an alternative is stocked (saline or dry needling are options).",
                "S9, S15",
            )
        )
    for klass, found in sorted(by_class.items()):
        agents = ", ".join(agent for agent, _ in found)
        conflict = found[0][1]
        allergic = "; ".join(dosing.allergen_label(c) for c in conflict.allergen.split(", "))
        amide = klass == dosing.AnaestheticClass.AMIDE
        use = f" Use {', '.join(remaining)}, saline or dry needling." if remaining else ""
        reasons.append(
            Reason(
                f"allergy_{klass}",
                ReasonKind.EXCLUSION if amide else ReasonKind.NOTE,
                f"Allergic to {allergic}: no {klass} ({agents})."
                + (
                    " Not eligible for an amide injection unless a clinician overrides with "
                    "a reason (e.g. documented allergy testing)."
                    if amide
                    else " Esters cross-react through PABA."
                )
                + use,
                conflict.source,
                conflict.status,
            )
        )
    for excipient, text in _EXCIPIENT_NOTES.items():
        if excipient in a.allergic_agents:
            reasons.append(Reason(f"allergy_{excipient}", ReasonKind.NOTE, *text))
    if not ruled_out and not a.allergic_agents & set(_EXCIPIENT_NOTES):
        not_stocked = ", ".join(sorted(a.allergic_agents))
        reasons.append(
            Reason(
                "allergy_not_stocked",
                ReasonKind.NOTE,
                f"Allergic to {not_stocked}, which is not among today's agents.",
                "S9",
            )
        )


_EXCIPIENT_NOTES = {
    dosing.Excipient.PARABEN: (
        "Allergic to parabens: use preservative-free (single-dose, MPF) vials only.",
        dosing.allergens.SOURCES["XYLOCAINE"],
        "verified",
    ),
    dosing.Excipient.SULFITE: (
        "Allergic to sulfites: no solutions with epinephrine (they contain metabisulfite).",
        dosing.allergens.SOURCES["XYLOCAINE"],
        "secondary",
    ),
}


def _indications(reasons: list[Reason], a: ScreeningAnswers) -> None:
    if a.indications is None:
        reasons.append(_missing("indications", "the indication for injection", "S8c"))
        return
    if not a.indications:
        reasons.append(
            Reason(
                "no_indication",
                ReasonKind.EXCLUSION,
                "No indication for trigger point injection was found (tenderness alone is "
                "not one; an active trigger point is needed).",
                "S8c",
            )
        )
        return
    if Indication.FIBROMYALGIA in a.indications:
        if a.fibromyalgia_investigational is None:
            reasons.append(
                _missing(
                    "fibromyalgia_investigational",
                    "whether the payer treats fibromyalgia as investigational",
                    "S56",
                )
            )
        elif a.fibromyalgia_investigational:
            reasons.append(
                Reason(
                    "fibromyalgia_investigational",
                    ReasonKind.REVIEW,
                    "Widespread pain (fibromyalgia): this payer treats injection for it as "
                    "investigational. Record why injection is still appropriate.",
                    "S56, S8c",
                )
            )


def _conservative_care(reasons: list[Reason], a: ScreeningAnswers, min_weeks: int) -> None:
    source = "S56, S3, S53"
    if a.conservative_care_tried is None:
        reasons.append(
            _missing("conservative_care_tried", "has conservative care been tried", source)
        )
    elif a.conservative_care_tried is False:
        reasons.append(
            Reason(
                "no_conservative_care",
                ReasonKind.REVIEW,
                "No trial of conservative care (stretching, physiotherapy, massage). Record "
                "why injection comes first (e.g. limited movement, diagnostic need).",
                source,
            )
        )
    elif a.conservative_care_weeks is None:
        reasons.append(
            _missing("conservative_care_weeks", "how many weeks of conservative care", source)
        )
    elif a.conservative_care_weeks < min_weeks:
        reasons.append(
            Reason(
                "short_conservative_care",
                ReasonKind.REVIEW,
                f"Conservative care for {a.conservative_care_weeks} weeks; the threshold is "
                f"{min_weeks} weeks. Record why injection should not wait.",
                source,
            )
        )
