"""Input checks shared by the analytics rules (counts, times, the confidence level).

Not rules: they refuse what a rule cannot read with a ValueError naming the field, as
``taut.clinical.inputs`` does for the other rules.
"""

import math
from statistics import NormalDist

from taut.clinical.inputs import is_whole


def read_count(value: object, field: str) -> int:
    """A whole number ≥ 0 (a bool, a float or text is refused). Not a rule: input checking."""
    if not is_whole(value):
        raise ValueError(f"{field}: expected a whole number, got {value!r}")
    if value < 0:
        raise ValueError(f"{field}: must not be negative, got {value!r}")
    return value


def read_confidence(value: object) -> float:
    """A confidence level strictly between 0 and 1 (0.95 for a 95 % interval).

    Not a rule: input checking.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"confidence: expected a number between 0 and 1, got {value!r}")
    if not (math.isfinite(value) and 0 < value < 1):
        raise ValueError(f"confidence: must be between 0 and 1 (0.95 for 95 %), got {value!r}")
    return float(value)


def z_for(confidence: float) -> float:
    """The two-sided normal quantile z of a confidence level: 1.959963984540054 for 0.95.

    Not a rule: the standard normal distribution's quantile (``NormalDist().inv_cdf``).
    """
    return NormalDist().inv_cdf((1 + confidence) / 2)
