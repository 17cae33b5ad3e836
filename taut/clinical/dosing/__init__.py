"""Local-anaesthetic dose limits and strengths for a trigger point injection session.

Every limit is ``min(mg_per_kg × weight_kg, cap_mg)`` read from a :class:`DoseTable`.
The default table takes the lower published figure where Olson's *Poisoning & Drug
Overdose* [S30] and the Medscape LAST table [S29] disagree; a clinic may configure its
own table (stored as JSON, rebuilt with :meth:`DoseTable.from_dict`) and every result
names the table it was computed with.

Arithmetic is exact. Each number is read as the decimal it prints as (a float ``0.2`` is
two tenths, not the binary value just above it) and all sums and comparisons are done on
:class:`fractions.Fraction`, so no rounding can turn a total above the maximum into
"caution". Floats appear only in results, and volumes handed back are rounded *down*.

The package's public home is ``taut.clinical.dosing``: import from here, not from its
modules (``agents``: the agents and their strengths; ``allergens`` and ``allergy_names``:
allergies by class and excipient, and allergies written in words; ``table``: dose
tables and one-preparation rules; ``session``: the whole-session check; ``earlier``:
anaesthetic given in the 24 hours around a session; ``factors``: age and the patient
factors that lower the maximum).

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from taut.clinical.dosing._inputs import MAX_PERCENT, MAX_WEIGHT_KG, VOLUME_STEP
from taut.clinical.dosing.agents import (
    AGENTS,
    CONCENTRATIONS,
    Agent,
    Concentration,
    check_concentration,
    concentration_range,
)
from taut.clinical.dosing.allergens import (
    AGENT_CLASSES,
    ALLERGENS,
    AnaestheticClass,
    Conflict,
    ConflictKind,
    Excipient,
    Solution,
    agents_ruled_out,
    allergen_choices,
    allergen_classes,
    allergen_label,
    read_allergens,
    solution_conflicts,
)
from taut.clinical.dosing.allergy_names import Reading, read_allergy_text
from taut.clinical.dosing.earlier import WINDOW, EarlierDose, counts_toward
from taut.clinical.dosing.factors import (
    ADULT_AGE,
    ELDERLY_AGE,
    REDUCTIONS,
    Factor,
    Reduction,
    adult_table_refusal,
    age_on,
    reduction_fraction,
    suggested_reductions,
)
from taut.clinical.dosing.session import (
    CAUTION_FRACTION,
    MAX_FRACTION,
    NO_ANAESTHETIC,
    DoseCheck,
    DoseStatus,
    Injection,
    Preparation,
    check_session,
)
from taut.clinical.dosing.table import (
    DEFAULT_TABLE,
    MAX_TABLE_CAP_MG,
    MAX_TABLE_MG_PER_KG,
    VERSION,
    AgentLimits,
    DoseTable,
    Limit,
    dosing_weight_kg,
    max_dose_mg,
    max_volume_ml,
    mg_from_ml,
)

__all__ = [
    "ADULT_AGE",
    "AGENTS",
    "AGENT_CLASSES",
    "ALLERGENS",
    "CAUTION_FRACTION",
    "CONCENTRATIONS",
    "DEFAULT_TABLE",
    "ELDERLY_AGE",
    "MAX_FRACTION",
    "MAX_PERCENT",
    "MAX_TABLE_CAP_MG",
    "MAX_TABLE_MG_PER_KG",
    "MAX_WEIGHT_KG",
    "NO_ANAESTHETIC",
    "REDUCTIONS",
    "VERSION",
    "VOLUME_STEP",
    "WINDOW",
    "Agent",
    "AgentLimits",
    "AnaestheticClass",
    "Concentration",
    "Conflict",
    "ConflictKind",
    "DoseCheck",
    "DoseStatus",
    "DoseTable",
    "EarlierDose",
    "Excipient",
    "Factor",
    "Injection",
    "Limit",
    "Preparation",
    "Reading",
    "Reduction",
    "Solution",
    "adult_table_refusal",
    "age_on",
    "agents_ruled_out",
    "allergen_choices",
    "allergen_classes",
    "allergen_label",
    "check_concentration",
    "check_session",
    "concentration_range",
    "counts_toward",
    "dosing_weight_kg",
    "max_dose_mg",
    "max_volume_ml",
    "mg_from_ml",
    "read_allergens",
    "read_allergy_text",
    "reduction_fraction",
    "solution_conflicts",
    "suggested_reductions",
]

# Functions and classes report this package as their module, as they did when dosing was
# one file: reprs, pickles and the source check (tests/test_sources.py, which lists each
# top-level module's own functions) then see one public home.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) or callable(_obj):
        _obj.__module__ = __name__
del _name, _obj
