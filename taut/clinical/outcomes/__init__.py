"""Measuring response to treatment: pain relief, IMMPACT classes, PEG, GAS and PGIC, and
the PEG function-interference evidence a clinician reads after a session.

Pain scores are on the 0–10 numerical rating scale (0 = no pain, 10 = worst possible pain).
Relief is compared with exact fractions, so boundaries such as 10 → 5 (exactly 50 %) land
in the class the guideline gives them; each float is read as the decimal it prints as.

``relief_percent`` and ``relief_duration_days`` are imported by the payer rules: keep
their signatures stable.

The package's public home is ``taut.clinical.outcomes``: import from here, not from its
modules (``relief``: relief, IMMPACT class, relief duration; ``instruments``: PEG, GAS,
PGIC; ``function``: the PEG interference evidence; ``durability``: the response at 2 and 6
weeks and when relief ended, as the clinic's analytics count them).

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from taut.clinical.outcomes.durability import (
    DURABILITY_VERSION,
    SIX_WEEKS,
    TWO_WEEKS,
    WINDOWS,
    ReliefEnd,
    Response,
    Window,
    relief_end,
    response_at,
)
from taut.clinical.outcomes.function import (
    FUNCTION_MIN_POINTS,
    FUNCTION_PERCENT,
    FUNCTION_SOURCE,
    FunctionEvidence,
    FunctionSuggestion,
    InterferencePoint,
    function_evidence,
    function_reading_agrees,
    peg_interference,
)
from taut.clinical.outcomes.instruments import (
    GAS_EXPECTED_T,
    GAS_RHO,
    GAS_SCORES,
    PGIC,
    PGIC_HURST_BOLTON_IMPROVED,
    PGIC_IMMPACT,
    PGIC_IMPROVED,
    PGICHurstBolton,
    gas_t_score,
    peg,
    pgic_immpact_category,
    pgic_improved,
)
from taut.clinical.outcomes.relief import (
    MINIMAL_PERCENT,
    MODERATE_PERCENT,
    NRS_MAX,
    NRS_MIN,
    SORENESS_DAYS,
    SUBSTANTIAL_PERCENT,
    SUSTAINED_RELIEF_PERCENT,
    VERSION,
    Immpact,
    ReliefDuration,
    immpact_category,
    relief_duration,
    relief_duration_days,
    relief_percent,
)

__all__ = [
    "DURABILITY_VERSION",
    "FUNCTION_MIN_POINTS",
    "FUNCTION_PERCENT",
    "FUNCTION_SOURCE",
    "GAS_EXPECTED_T",
    "GAS_RHO",
    "GAS_SCORES",
    "MINIMAL_PERCENT",
    "MODERATE_PERCENT",
    "NRS_MAX",
    "NRS_MIN",
    "PGIC",
    "PGIC_HURST_BOLTON_IMPROVED",
    "PGIC_IMMPACT",
    "PGIC_IMPROVED",
    "SIX_WEEKS",
    "SORENESS_DAYS",
    "SUBSTANTIAL_PERCENT",
    "SUSTAINED_RELIEF_PERCENT",
    "TWO_WEEKS",
    "VERSION",
    "WINDOWS",
    "FunctionEvidence",
    "FunctionSuggestion",
    "Immpact",
    "InterferencePoint",
    "PGICHurstBolton",
    "ReliefDuration",
    "ReliefEnd",
    "Response",
    "Window",
    "function_evidence",
    "function_reading_agrees",
    "gas_t_score",
    "immpact_category",
    "peg",
    "peg_interference",
    "pgic_immpact_category",
    "pgic_improved",
    "relief_duration",
    "relief_duration_days",
    "relief_end",
    "relief_percent",
    "response_at",
]
