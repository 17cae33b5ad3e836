"""What a clinic's public page tells people about trigger point injections, and the
self-check "Could trigger point injections help me?".

The page (``SECTIONS``) is plain words at about a 12-year-old's reading level (US grade 7
or lower), each fact tied to the sources it comes from (``SOURCES``, listed at the bottom of
the page). The sources are public patient leaflets from a hospital and a professional body
(P1, P2) and the reviews in ``shared/reference/clinical.md`` §9 (S1, S3, ...). The wording
is Taut's and is marked with ``gettext_noop`` for the translation catalogue: a page shows
it translated into the reader's language.

The self-check is education, never a diagnosis. ``selfcheck(answers)`` gives one of four
outcomes (``Outcome.kind``):

- ``emergency``: any red-flag answer that ``taut.clinical.urgency`` rates an emergency.
  Shown first and alone: call the emergency number (US 911) now. It wins over everything.
- ``see_doctor_soon``: any other red-flag answer (rated same day): a different check comes
  first, before anyone thinks about injections.
- ``not_first_step``: pain for less than 6 weeks, or nothing tried yet; with what usually
  comes first (stretching and exercise, massage, physical therapy).
- ``worth_discussing``: this may be worth discussing with the clinic.

**The answers** (a JSON-serialisable dict, as the self-check form builds it and as the
appointment request carries it, signed, in its ``answers`` query parameter)::

    {
        "regions": ["neck_posterior_lower", "low_back"],  # SELFCHECK_AREAS ids (atlas
                                                           # region ids); at least one
        "duration": "over_3_months",                      # a DURATIONS id
        "tried": ["stretching_or_exercise", "massage"],   # TRIED ids; ["nothing"] alone
                                                           # when nothing has been tried
        "red_flags": {"neck.bladder_bowel": False, ...},  # every SELFCHECK_RED_FLAGS id,
                                                           # True (yes) or False (no)
    }

A patient may answer "Where is your pain?" on the body map instead: ``map_areas`` gives
the areas that hold the places marked (``selfcheck_areas_for``), so ``regions`` means the
same either way.

``read_answers`` checks it (a ValueError names the field; unknown keys are refused) and
``selfcheck_summary(answers)`` gives plain English lines for staff.

Sources: as each section, outcome and reason names them. The red-flag questions are those
of ``taut.clinical.screening`` (their patient wording) and their urgency is
``taut.clinical.urgency.RATINGS``; nothing about them is restated here.
"""

from taut.clinical.patient_education.content import (
    SECTIONS,
    SOURCE_IDS,
    SOURCES,
    VERSION,
    Item,
    Section,
    Source,
)
from taut.clinical.patient_education.map_areas import (
    AREA_OF_REGION,
    UNMAPPED,
    selfcheck_areas_for,
)
from taut.clinical.patient_education.self_check import (
    DURATIONS,
    FIRST_STEPS,
    NOT_A_DIAGNOSIS,
    NOTHING,
    SELFCHECK_AREAS,
    SELFCHECK_RED_FLAGS,
    TRIED,
    Answers,
    Choice,
    Kind,
    Outcome,
    Reason,
    read_answers,
    selfcheck,
    selfcheck_summary,
)

__all__ = [
    "AREA_OF_REGION",
    "DURATIONS",
    "FIRST_STEPS",
    "NOTHING",
    "NOT_A_DIAGNOSIS",
    "SECTIONS",
    "SELFCHECK_AREAS",
    "SELFCHECK_RED_FLAGS",
    "SOURCES",
    "SOURCE_IDS",
    "TRIED",
    "UNMAPPED",
    "VERSION",
    "Answers",
    "Choice",
    "Item",
    "Kind",
    "Outcome",
    "Reason",
    "Section",
    "Source",
    "read_answers",
    "selfcheck",
    "selfcheck_areas_for",
    "selfcheck_summary",
]
