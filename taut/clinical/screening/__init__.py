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

The package's public home is ``taut.clinical.screening``: import from here, not from its
modules (``questions``: the red-flag and patient questions, ``fold_red_flags``;
``answers``: ``ScreeningAnswers`` and the indications; ``verdict``: ``screen``;
``coverage``: whether a clinician's decision still covers the verdict, ``clearance``).

Sources are the ids of ``../shared/reference/clinical.md`` §9 (see
``docs/clinical-rules.md``). Status words: "verified" (seen in the source),
"secondary" (seen only in a summary of it), "unverified" (clinic policy).
"""

from taut.clinical.screening.answers import BOOLEAN_ANSWERS, Indication, ScreeningAnswers
from taut.clinical.screening.coverage import (
    Basis,
    Clearance,
    Coverage,
    Decision,
    clearance,
    decision_basis,
    decision_covers,
    unnamed_red_flags,
    unscreened_facts,
)
from taut.clinical.screening.questions import (
    BACK_RED_FLAGS,
    NECK_RED_FLAGS,
    PATIENT_ALLERGY_QUESTION,
    PATIENT_RED_FLAG_SETS,
    PATIENT_SAFETY_QUESTIONS,
    RED_FLAG_SETS,
    PatientQuestion,
    RedFlag,
    RedFlagQuestion,
    fold_red_flags,
)
from taut.clinical.screening.verdict import (
    CONSERVATIVE_CARE_MIN_WEEKS,
    VERSION,
    Reason,
    ReasonKind,
    Status,
    Verdict,
    screen,
)

__all__ = [
    "BACK_RED_FLAGS",
    "BOOLEAN_ANSWERS",
    "CONSERVATIVE_CARE_MIN_WEEKS",
    "NECK_RED_FLAGS",
    "PATIENT_ALLERGY_QUESTION",
    "PATIENT_RED_FLAG_SETS",
    "PATIENT_SAFETY_QUESTIONS",
    "RED_FLAG_SETS",
    "VERSION",
    "Basis",
    "Clearance",
    "Coverage",
    "Decision",
    "Indication",
    "PatientQuestion",
    "Reason",
    "ReasonKind",
    "RedFlag",
    "RedFlagQuestion",
    "ScreeningAnswers",
    "Status",
    "Verdict",
    "clearance",
    "decision_basis",
    "decision_covers",
    "fold_red_flags",
    "screen",
    "unnamed_red_flags",
    "unscreened_facts",
]
