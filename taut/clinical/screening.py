"""Pre-procedure screening: should this patient have trigger point injections today?

``screen(answers)`` turns a clinician's screening answers into a ``Verdict``:
``not_eligible`` (refer or defer), ``pending`` (a required answer is missing),
``needs_review`` (a clinician must record why it is safe to go ahead) or
``eligible``. It never guesses: an unanswered question is ``None`` and keeps the
verdict ``pending`` unless a definite exclusion is already known.

Precedence, strongest first: ``not_eligible`` > ``pending`` > ``needs_review`` >
``eligible``. A known exclusion stays an exclusion whatever the missing answers
say, so it is reported at once; a missing answer could still hide an exclusion,
so it outranks a review. Every reason found is returned, not just the first.

Sources are the ids of ``../shared/reference/clinical.md`` §9 (see
``docs/clinical-rules.md``). Status words: "verified" (seen in the source),
"secondary" (seen only in a summary of it), "unverified" (clinic policy).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum

from taut.clinical.inputs import is_whole

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


class Indication(StrEnum):
    """Indications for TPI (clinical.md §2a)."""

    MYOFASCIAL_PAIN = "myofascial_pain"  # MPS with active trigger points [S8c]
    FIBROMYALGIA = "fibromyalgia"  # sources disagree [S8c], [S56], [S57]
    TENSION_TYPE_HEADACHE = "tension_type_headache"  # [S9]
    NECK_MUSCLE_PAIN = "neck_muscle_pain"  # with trigger points [S17]
    LOW_BACK_MUSCLE_PAIN = "low_back_muscle_pain"  # with trigger points [S17], [S20]


class RedFlag(StrEnum):
    """Red-flag groups; each value is also the ``ScreeningAnswers`` field that holds it."""

    CAUDA_EQUINA = "cauda_equina_signs"
    MYELOPATHY = "myelopathy_signs"
    FEVER_OR_INFECTION = "fever_or_infection"
    CANCER = "cancer_with_new_pain_or_weight_loss"
    PROGRESSIVE_DEFICIT = "progressive_weakness_or_numbness"
    VASCULAR_NECK = "vascular_neck_symptoms"
    MAJOR_TRAUMA = "major_trauma"


@dataclass(frozen=True)
class RedFlagQuestion:
    """A red-flag question: ``text`` as the clinician asks it; ``patient_text`` the same
    question in plain words for the patient's own pre-visit intake (about a 12-year-old's
    reading level). No ``patient_text`` means the clinician finds the answer on
    examination, so a patient is never asked it and it stays unanswered until then."""

    id: str
    flag: RedFlag
    source: str
    text: str
    status: str = "verified"
    patient_text: str = ""


_Q = RedFlagQuestion
_F = RedFlag

# The questions a clinician asks; the web intake form renders them from here and
# folds the answers into ``ScreeningAnswers`` with ``fold_red_flags``.
# fmt: off
NECK_RED_FLAGS: tuple[RedFlagQuestion, ...] = (
    _Q("neck.gait_or_hands", _F.MYELOPATHY, "S26",
       "Is walking unsteady, has the gait changed, or are the hands clumsy?",
       patient_text="Has your walking become unsteady, or have your hands become clumsy?"),
    _Q("neck.bladder_bowel", _F.MYELOPATHY, "S26",
       "Any new trouble controlling the bladder or bowel?",
       patient_text="Do you have new trouble controlling when you pee or poo?"),
    _Q("neck.long_tract_signs", _F.MYELOPATHY, "S26",
       "On examination: brisk reflexes, Hoffmann or Babinski sign, clonus, or an electric "
       "shock down the spine on bending the neck (Lhermitte sign)?"),
    _Q("neck.fever", _F.FEVER_OR_INFECTION, "S26",
       "Fever, night sweats, or a stiff neck with headache (meningism)?",
       patient_text="Have you had a fever or night sweats, or a stiff neck with a headache?"),
    _Q("neck.cancer_or_weight_loss", _F.CANCER, "S26, S27",
       "A history of cancer, unexplained weight or appetite loss, or night pain that nothing "
       "eases?",
       patient_text="Have you ever had cancer? Or have you lost weight or lost your appetite "
       "without trying, or had pain at night that nothing helps?"),
    _Q("neck.vascular", _F.VASCULAR_NECK, "S26",
       "Sudden tearing neck pain, double vision, drop attacks, fainting, vertigo or "
       "stroke-like symptoms?",
       patient_text="Have you had sudden, tearing pain in your neck, double vision, sudden "
       "falls, fainting, the room spinning, or signs of a stroke (a drooping face, a weak "
       "arm, slurred speech)?"),
    _Q("neck.trauma_or_surgery", _F.MAJOR_TRAUMA, "S27",
       "A significant neck injury (a fall, a road accident) or neck surgery?",
       patient_text="Have you had a bad neck injury (for example a fall or a car crash), or "
       "an operation on your neck?"),
    _Q("neck.progressive_deficit", _F.PROGRESSIVE_DEFICIT, "S26",
       "Weakness or numbness in the arms or hands that is getting worse?",
       patient_text="Is weakness or numbness in your arms or hands getting worse?"),
)

BACK_RED_FLAGS: tuple[RedFlagQuestion, ...] = (
    _Q("back.saddle_numbness", _F.CAUDA_EQUINA, "S25",
       "Numbness between the legs or around the back passage (saddle area)?",
       patient_text="Is any skin numb between your legs or around your bottom?"),
    _Q("back.bladder_bowel", _F.CAUDA_EQUINA, "S25",
       "New trouble passing urine, leaking urine, or loss of bowel control?",
       patient_text="Do you have new trouble peeing, are you leaking pee, or can you no "
       "longer control your bowels?"),
    _Q("back.fever", _F.FEVER_OR_INFECTION, "S25",
       "Fever or chills, or a recent bacterial infection such as a urine infection?",
       patient_text="Have you had a fever or chills, or an infection lately (for example a "
       "bladder infection)?"),
    _Q("back.cancer_or_weight_loss", _F.CANCER, "S25",
       "A history of cancer, or weight loss that has no explanation?",
       patient_text="Have you ever had cancer, or have you lost weight without trying?"),
    _Q("back.trauma", _F.MAJOR_TRAUMA, "S25",
       "A major injury, or a minor fall or heavy lift in someone older or with osteoporosis?",
       patient_text="Did the pain start after a big injury? Or, if you are older or have "
       "weak bones (osteoporosis), after a small fall or lifting something heavy?"),
    _Q("back.progressive_deficit", _F.PROGRESSIVE_DEFICIT, "S25",
       "Severe or worsening weakness or numbness in the legs (for example foot drop)?",
       patient_text="Do you have bad or worsening weakness or numbness in your legs (for "
       "example, a foot that drags or slaps when you walk)?"),
)
# fmt: on

RED_FLAG_SETS: Mapping[str, tuple[RedFlagQuestion, ...]] = {
    "neck": NECK_RED_FLAGS,
    "back": BACK_RED_FLAGS,
}

#: The red-flag questions a patient answers before the visit (those with patient wording),
#: by set. The rest are examination findings: they stay unanswered, so the verdict stays
#: pending until the clinician has examined. Sources as each question's; the plain wording
#: is Taut's.
PATIENT_RED_FLAG_SETS: Mapping[str, tuple[RedFlagQuestion, ...]] = {
    name: tuple(q for q in questions if q.patient_text) for name, questions in RED_FLAG_SETS.items()
}


@dataclass(frozen=True)
class PatientQuestion:
    """A safety question for the patient's own intake, in plain words.

    ``id`` is the ``ScreeningAnswers`` field the answer fills (True, False, or None for
    "not sure", which screening treats as not asked yet). ``help`` is a hint shown under it.
    """

    id: str
    text: str
    source: str
    status: str = "verified"
    help: str = ""


_P = PatientQuestion

#: The contraindication and precaution questions ``screen`` reads, as a patient is asked
#: them before the visit. Sources as the matching rule of ``screen``; the plain wording is
#: Taut's. Whether a steroid is planned is the clinician's call and is not asked.
# fmt: off
PATIENT_SAFETY_QUESTIONS: tuple[PatientQuestion, ...] = (
    _P("site_infection_or_broken_skin",
       "Is there an infection, a rash, a cut or other broken skin where it hurts?",
       "S9, S15b"),
    _P("acute_muscle_trauma_at_site",
       "In the last few weeks, have you hurt the muscle where it hurts, for example by "
       "straining, tearing or bruising it?",
       "S9"),
    _P("bleeding_disorder",
       "Do you have a condition that makes you bleed or bruise very easily (a bleeding "
       "disorder such as haemophilia)?",
       "S9"),
    _P("anticoagulant_or_antiplatelet",
       "Do you take a medicine that thins your blood or stops blood clots?",
       "S9, S2, S62, S24",
       help="For example warfarin, apixaban, rivaroxaban, dabigatran, clopidogrel, or "
       "aspirin every day."),
    _P("pregnant",
       "Are you pregnant, or could you be pregnant?",
       "S63, S15b",
       help="Answer No if this cannot apply to you."),
    _P("needle_phobia",
       "Are you very afraid of needles?",
       "clinic-policy", "unverified",
       help="That is fine: tell us, and we will talk it through with you."),
    _P("diabetes_poorly_controlled",
       "Do you have diabetes that is hard to keep under control (your sugar is often high)?",
       "S9, S22", "unverified",
       help="Answer No if you do not have diabetes."),
)
# fmt: on

#: The allergy question, answered by ticking the numbing medicines (``dosing.AGENTS``).
PATIENT_ALLERGY_QUESTION = _P(
    "allergic_agents",
    "Are you allergic to any numbing medicine (a local anaesthetic)?",
    "S9",
    help="Tick each one you are allergic to. Leave them all empty if you are not allergic.",
)

_RED_FLAG_TEXT = {
    RedFlag.CAUDA_EQUINA: ("signs of cauda equina compression", "S25"),
    RedFlag.MYELOPATHY: ("signs of cervical myelopathy", "S26"),
    RedFlag.FEVER_OR_INFECTION: ("fever or a possible infection", "S9, S25, S26"),
    RedFlag.CANCER: ("a cancer history with new pain or weight loss", "S25, S26"),
    RedFlag.PROGRESSIVE_DEFICIT: ("progressive weakness or numbness", "S25, S26"),
    RedFlag.VASCULAR_NECK: ("symptoms of a neck artery problem", "S26"),
    RedFlag.MAJOR_TRAUMA: ("major trauma", "S25, S27"),
}


def fold_red_flags(responses: Mapping[str, bool | None]) -> dict[str, bool | None]:
    """Fold answers to red-flag questions into the ``ScreeningAnswers`` red-flag fields.

    ``responses`` maps question ids (``NECK_RED_FLAGS``, ``BACK_RED_FLAGS``) to
    True/False/None. A group is True if any of its questions is True, False if
    every one of its questions that was asked is False, and None if none was
    asked or one is unanswered. A clinic that shows only the neck set therefore
    leaves the cauda-equina group None, and screening stays pending: the
    question was not asked.

    Source: S25 (AHCPR back), S26 (AAFP 2020 neck), S27 (GPonline). Status: verified.
    """
    by_id = {q.id: q for qs in RED_FLAG_SETS.values() for q in qs}
    for key, value in responses.items():
        if key not in by_id:
            raise ValueError(f"responses: unknown red-flag question {key!r}")
        if value is not None and not isinstance(value, bool):
            raise ValueError(f"responses: {key!r} must be True, False or None")
    folded: dict[str, bool | None] = {}
    for flag in RedFlag:
        asked = [responses[q] for q in by_id if by_id[q].flag is flag and q in responses]
        if any(v is True for v in asked):
            folded[flag.value] = True
        elif asked and all(v is False for v in asked):
            folded[flag.value] = False
        else:
            folded[flag.value] = None
    return folded


@dataclass(frozen=True, kw_only=True)
class ScreeningAnswers:
    """What the clinician knows today. ``None`` always means "not asked yet".

    Agent names are free text, compared case-insensitively (``"lidocaine"``).
    ``allergic_agents`` is the set the patient is allergic to (empty = none);
    ``available_agents`` the set the clinic can use today. ``indications`` is
    None until the clinician has assessed it; an empty set means "assessed, none".
    ``fibromyalgia_investigational`` comes from the payer (``payer.Policy``).
    """

    # Red flags (refer, do not inject). Field names are the RedFlag values.
    cauda_equina_signs: bool | None = None
    myelopathy_signs: bool | None = None
    fever_or_infection: bool | None = None
    cancer_with_new_pain_or_weight_loss: bool | None = None
    progressive_weakness_or_numbness: bool | None = None
    vascular_neck_symptoms: bool | None = None
    major_trauma: bool | None = None
    # The planned site.
    site_infection_or_broken_skin: bool | None = None
    acute_muscle_trauma_at_site: bool | None = None
    # Agents.
    allergic_agents: frozenset[str] | None = None
    available_agents: frozenset[str] | None = None
    # Precautions.
    anticoagulant_or_antiplatelet: bool | None = None
    bleeding_disorder: bool | None = None
    pregnant: bool | None = None
    needle_phobia: bool | None = None
    steroid_planned: bool | None = None
    diabetes_poorly_controlled: bool | None = None
    fibromyalgia_investigational: bool | None = None
    conservative_care_tried: bool | None = None
    conservative_care_weeks: int | None = None
    # Indication.
    indications: frozenset[Indication] | None = None

    def __post_init__(self):
        for name in BOOLEAN_ANSWERS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                raise ValueError(f"{name}: must be True, False or None, not {value!r}")
        for name in ("allergic_agents", "available_agents"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise ValueError(f"{name}: pass a set of agent names, not {value!r}")
            if not all(isinstance(a, str) for a in value):
                raise ValueError(f"{name}: agent names must be text")
            agents = frozenset(a.strip().lower() for a in value)
            if "" in agents:
                raise ValueError(f"{name}: agent names must not be blank")
            object.__setattr__(self, name, agents)
        if self.available_agents is not None and not self.available_agents:
            raise ValueError("available_agents: name at least one agent, or leave it None")
        weeks = self.conservative_care_weeks
        if weeks is not None and not is_whole(weeks):
            raise ValueError("conservative_care_weeks: must be a whole number of weeks")
        if weeks is not None and weeks < 0:
            raise ValueError("conservative_care_weeks: must not be negative")
        if self.indications is not None:
            if isinstance(self.indications, str) or not isinstance(self.indications, Iterable):
                raise ValueError(f"indications: pass a set, not {self.indications!r}")
            try:
                found = frozenset(Indication(i) for i in self.indications)
            except ValueError as error:
                raise ValueError(f"indications: {error}") from None
            object.__setattr__(self, "indications", found)


_TYPED_ANSWERS = {"allergic_agents", "available_agents", "conservative_care_weeks", "indications"}
#: The answers that are True, False or None.
BOOLEAN_ANSWERS = tuple(f.name for f in fields(ScreeningAnswers) if f.name not in _TYPED_ANSWERS)


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
    allergy to every available agent [S9], or no indication after assessment
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


def _exclusion(reasons, value, code, text, source, question):
    if value is True:
        reasons.append(Reason(code, ReasonKind.EXCLUSION, text, source))
    elif value is None:
        reasons.append(_missing(code, question, source))


def _allergies(reasons: list[Reason], a: ScreeningAnswers) -> None:
    if a.allergic_agents is None:
        reasons.append(_missing("allergic_agents", "allergies to anaesthetic agents", "S9"))
        return
    if not a.allergic_agents:
        return
    if a.available_agents is None:
        reasons.append(_missing("available_agents", "which agents the clinic has today", "S9"))
        return
    allergic = sorted(a.allergic_agents & a.available_agents)
    remaining = sorted(a.available_agents - a.allergic_agents)
    if not remaining:
        reasons.append(
            Reason(
                "allergy_all_agents",
                ReasonKind.EXCLUSION,
                f"Allergic to every agent available ({', '.join(allergic)}). Do not inject "
                "until an alternative is stocked (saline or dry needling are options).",
                "S9, S15",
            )
        )
    elif allergic:
        reasons.append(
            Reason(
                "allergy_some_agents",
                ReasonKind.NOTE,
                f"Allergic to {', '.join(allergic)}; use only {', '.join(remaining)}.",
                "S9",
            )
        )
    else:
        not_stocked = ", ".join(sorted(a.allergic_agents))
        reasons.append(
            Reason(
                "allergy_not_stocked",
                ReasonKind.NOTE,
                f"Allergic to {not_stocked}, which is not among today's agents.",
                "S9",
            )
        )


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
