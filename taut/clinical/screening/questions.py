"""The screening questions: red flags as the clinician asks them, and the safety questions
in plain words for the patient's own pre-visit intake.

The red-flag questions come in two sets (``NECK_RED_FLAGS``, ``BACK_RED_FLAGS``);
``fold_red_flags`` folds their answers into the seven red-flag groups that ``screen`` reads.

Sources are the ids of ``../shared/reference/clinical.md`` §9 (see
``docs/clinical-rules.md``). Status words: "verified" (seen in the source),
"secondary" (seen only in a summary of it), "unverified" (clinic policy).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from taut.clinical.wording import gettext_noop as _


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
       patient_text=_("Has your walking become unsteady, or have your hands become clumsy?")),
    _Q("neck.bladder_bowel", _F.MYELOPATHY, "S26",
       "Any new trouble controlling the bladder or bowel?",
       patient_text=_("Do you have new trouble controlling your bowel or bladder?")),
    _Q("neck.long_tract_signs", _F.MYELOPATHY, "S26",
       "On examination: brisk reflexes, Hoffmann or Babinski sign, clonus, or an electric "
       "shock down the spine on bending the neck (Lhermitte sign)?"),
    _Q("neck.fever", _F.FEVER_OR_INFECTION, "S26",
       "Fever, night sweats, or a stiff neck with headache (meningism)?",
       patient_text=_("Have you had a fever or night sweats? Or a stiff neck with a headache?")),
    _Q("neck.cancer_or_weight_loss", _F.CANCER, "S26, S27",
       "A history of cancer, unexplained weight or appetite loss, or night pain that nothing "
       "eases?",
       patient_text=_("Have you ever had cancer? Or have you lost weight or lost your appetite "
       "without trying, or had pain at night that nothing helps?")),
    _Q("neck.vascular", _F.VASCULAR_NECK, "S26",
       "Sudden tearing neck pain, double vision, drop attacks, fainting, vertigo or "
       "stroke-like symptoms?",
       patient_text=_("Have you had sudden, tearing pain in your neck? Or double vision, sudden "
       "falls, fainting, or the room spinning? Or signs of a stroke, like a drooping face, a "
       "weak arm, or slurred speech?")),
    _Q("neck.trauma_or_surgery", _F.MAJOR_TRAUMA, "S27",
       "A significant neck injury (a fall, a road accident) or neck surgery?",
       patient_text=_("Have you had a bad neck injury, like from a fall or a car crash? Or "
       "have you had an operation on your neck?")),
    _Q("neck.progressive_deficit", _F.PROGRESSIVE_DEFICIT, "S26",
       "Weakness or numbness in the arms or hands that is getting worse?",
       patient_text=_("Is weakness or numbness in your arms or hands getting worse?")),
)

BACK_RED_FLAGS: tuple[RedFlagQuestion, ...] = (
    _Q("back.saddle_numbness", _F.CAUDA_EQUINA, "S25",
       "Numbness between the legs or around the back passage (saddle area)?",
       patient_text=_("Is any skin numb between your legs or around your bottom?")),
    _Q("back.bladder_bowel", _F.CAUDA_EQUINA, "S25",
       "New trouble passing urine, leaking urine, or loss of bowel control?",
       patient_text=_("Do you have new trouble peeing, or are you leaking pee? Or can you no "
       "longer control your bowel or bladder?")),
    _Q("back.fever", _F.FEVER_OR_INFECTION, "S25",
       "Fever or chills, or a recent bacterial infection such as a urine infection?",
       patient_text=_("Have you had a fever or chills lately? Or an infection, like a bladder "
       "infection?")),
    _Q("back.cancer_or_weight_loss", _F.CANCER, "S25",
       "A history of cancer, or weight loss that has no explanation?",
       patient_text=_("Have you ever had cancer, or have you lost weight without trying?")),
    _Q("back.trauma", _F.MAJOR_TRAUMA, "S25",
       "A major injury, or a minor fall or heavy lift in someone older or with osteoporosis?",
       patient_text=_("Did the pain start after a big injury? Or, if you are older or have "
       "weak bones, after a small fall or lifting something heavy?")),
    _Q("back.progressive_deficit", _F.PROGRESSIVE_DEFICIT, "S25",
       "Severe or worsening weakness or numbness in the legs (for example foot drop)?",
       patient_text=_("Is weakness or numbness in your legs bad or getting worse? For "
       "example, does a foot drag or slap when you walk?")),
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
       _("Is there an infection, a rash, a cut or other broken skin where it hurts?"),
       "S9, S15b"),
    _P("acute_muscle_trauma_at_site",
       _("In the last few weeks, have you hurt the muscle that hurts now? For example, by "
       "straining, tearing, or bruising it?"),
       "S9"),
    _P("bleeding_disorder",
       _("Do you have a health problem that makes you bleed or bruise very easily? For "
       "example, hemophilia?"),
       "S9"),
    _P("anticoagulant_or_antiplatelet",
       _("Do you take a medicine that thins your blood or stops blood clots?"),
       "S9, S2, S62, S24",
       help=_("For example: aspirin every day. Or warfarin (Coumadin), apixaban (Eliquis), "
       "rivaroxaban (Xarelto), dabigatran (Pradaxa), or clopidogrel (Plavix).")),
    _P("pregnant",
       _("Are you pregnant, or could you be pregnant?"),
       "S63, S15b",
       help=_("Answer No if this cannot apply to you.")),
    _P("needle_phobia",
       _("Are you very afraid of needles?"),
       "clinic-policy", "unverified",
       help=_("That is fine: tell us, and we will talk it through with you.")),
    _P("diabetes_poorly_controlled",
       _("Do you have diabetes that is hard to keep under control (your sugar is often high)?"),
       "S9, S22", "unverified",
       help=_("Answer No if you do not have diabetes.")),
)
# fmt: on

#: The allergy question, answered by ticking the numbing medicines (``dosing.AGENTS``).
PATIENT_ALLERGY_QUESTION = _P(
    "allergic_agents",
    _("Are you allergic to a numbing drug, like the kind a dentist uses?"),
    "S9",
    help=_("Check each one you are allergic to. Leave them all blank if you are not allergic."),
)


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
