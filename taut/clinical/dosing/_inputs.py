"""Reading inputs exactly: numbers, agents and flags, each error naming its field.

Each number is read as the decimal it prints as (a float ``0.2`` is two tenths, not the
binary value just above it) and turned into a :class:`fractions.Fraction`, so no rounding
can move a total across a limit. Floats appear only in results.
"""

import math
from decimal import Decimal
from fractions import Fraction

# Input ranges. Anything outside is refused rather than guessed at.
MAX_WEIGHT_KG = 400
MAX_PERCENT = 5

# Volumes handed back are rounded down to this step (mL).
VOLUME_STEP = Fraction(1, 100)


def read_number(value: object, field: str) -> Fraction:
    """Read a number exactly; refuse bools, text, NaN and infinities."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise ValueError(f"{field}: expected a number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{field}: must be a finite number, got {value!r}")
        return Fraction(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{field}: must be a finite number, got {value!r}")
    return Fraction(value)


def read_bounded(value: object, field: str, upper: int) -> Fraction:
    number = read_number(value, field)
    if not 0 < number <= upper:
        raise ValueError(f"{field}: must be more than 0 and at most {upper}, got {value!r}")
    return number


def read_flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{field}: expected True or False, got {value!r}")
    return value


def read_weight(value: object) -> Fraction:
    return read_bounded(value, "weight_kg", MAX_WEIGHT_KG)


def read_percent(value: object, field: str = "percent") -> Fraction:
    return read_bounded(value, field, MAX_PERCENT)


def read_volume(value: object, field: str = "ml") -> Fraction:
    number = read_number(value, field)
    if number < 0:
        raise ValueError(f"{field}: must not be negative, got {value!r}")
    return number


def to_float(value: Fraction) -> float:
    """A result as a float; absurd inputs (a 1e-300 % solution) give inf, not OverflowError."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def floor_volume(ml: Fraction) -> float:
    steps = math.floor(ml / VOLUME_STEP)
    return to_float(max(steps, 0) * VOLUME_STEP)


def display(value: Fraction) -> str:
    """Short display of an exact number: 300, 4.5, 62.35."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
