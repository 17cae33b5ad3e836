"""What the clinician knows at screening: ``ScreeningAnswers``, and the indications for TPI.

Sources are the ids of ``../shared/reference/clinical.md`` §9 (see
``docs/clinical-rules.md``). Status words: "verified" (seen in the source),
"secondary" (seen only in a summary of it), "unverified" (clinic policy).
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum

from taut.clinical.dosing import read_allergens
from taut.clinical.inputs import is_whole


class Indication(StrEnum):
    """Indications for TPI (clinical.md §2a)."""

    MYOFASCIAL_PAIN = "myofascial_pain"  # MPS with active trigger points [S8c]
    FIBROMYALGIA = "fibromyalgia"  # sources disagree [S8c], [S56], [S57]
    TENSION_TYPE_HEADACHE = "tension_type_headache"  # [S9]
    NECK_MUSCLE_PAIN = "neck_muscle_pain"  # with trigger points [S17]
    LOW_BACK_MUSCLE_PAIN = "low_back_muscle_pain"  # with trigger points [S17], [S20]


@dataclass(frozen=True, kw_only=True)
class ScreeningAnswers:
    """What the clinician knows today. ``None`` always means "not asked yet".

    Agent names are free text, compared case-insensitively (``"lidocaine"``).
    ``allergic_agents`` is the set of allergen codes (``dosing.ALLERGENS``: an agent, a
    class or an excipient) the patient is allergic to (empty = none);
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

    def __post_init__(self) -> None:
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
            if name == "allergic_agents":
                agents = read_allergens(agents, name)
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
