"""What the pre-visit intake asks the patient about their pain, in the patient's words.

The patient's own intake (the portal) asks the same 0–10 items as the staff intake: pain
now, average and worst in the past week (the baseline a payer wants [S51]), and the three
PEG items, which keep the words of the validated instrument (``checkins.PEG`` [S36]). The
screening questions in plain words live with their rules in ``taut.clinical.screening``
(``PATIENT_RED_FLAG_SETS``, ``PATIENT_SAFETY_QUESTIONS``, ``PATIENT_ALLERGY_QUESTION``).

The patient's wording is marked for the translation catalogue (``taut.clinical.wording``)
and shown in the patient's language by the portal.

Sources are the ids of ``docs/clinical-rules.md``. Status words as in ``checkins``.
"""

from collections.abc import Mapping
from typing import Any

from taut.clinical import atlas
from taut.clinical.checkins import NRS, PEG, Kind, Question
from taut.clinical.wording import gettext_noop as _

VERSION = "2026.2"  # 2026.2: the patient's wording marked for Spanish (issue 14)

_NRS_SOURCE = "[S34] (0–10 NRS); baseline pain before treatment [S51]"


def _pain(field: str, prompt: str) -> Question:
    return Question(
        id=field,
        kind=Kind.NRS,
        prompt=prompt,
        source=_NRS_SOURCE,
        status="verified",
        scale=NRS.scale,
        low=NRS.low,
        high=NRS.high,
    )


#: The three pain scores, each the ``Intake`` field it fills. The stems are Taut's.
PAIN_ITEMS: tuple[Question, ...] = (
    _pain("nrs_now", _("How bad is your pain right now?")),
    _pain("nrs_average", _("On average, how bad was your pain in the past week?")),
    _pain("nrs_worst", _("At its worst, how bad was your pain in the past week?")),
)

#: The PEG, worded as the instrument words it ([S36]; ids are the ``Intake`` fields).
PEG_ITEMS: tuple[Question, ...] = PEG


def answer_problems(answers: Mapping[str, Any]) -> dict[str, str]:
    """Intake answers that contradict each other, by field: the worst pain below pain now
    or on average, a main pain region not in the atlas, or a side given for a midline
    region. Not a rule from a source: checks that the answers can all be true at once
    (the staff form and the portal form show them; the services refuse them)."""
    problems = {}
    scores = [answers.get(name) for name in ("nrs_now", "nrs_average", "nrs_worst")]
    now, average, worst = scores
    if now is not None and average is not None and worst is not None and worst < max(now, average):
        problems["nrs_worst"] = "Worst pain cannot be lower than pain now or average."
    region = atlas.REGIONS.get(answers.get("index_region") or "")
    if region is None:
        problems["index_region"] = "Choose where the main pain is from the list."
    elif region.midline and answers.get("index_side"):
        problems["index_side"] = "This region is in the middle: leave the side empty."
    return problems
