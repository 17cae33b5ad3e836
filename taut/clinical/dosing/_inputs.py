"""Dosing's inputs and results: the ranges of weight, strength and volume, each error naming
its field, and how exact results become floats.

Each number is read exactly (``taut.clinical.inputs.read_number``: a float ``0.2`` is two
tenths, not the binary value just above it) as a :class:`fractions.Fraction`, so no
rounding can move a total across a limit. Floats appear only in results.
"""

import math
from fractions import Fraction

from taut.clinical.inputs import read_number

# Input ranges. Anything outside is refused rather than guessed at.
MAX_WEIGHT_KG = 400
MAX_PERCENT = 5

# Volumes handed back are rounded down to this step (mL).
VOLUME_STEP = Fraction(1, 100)


def read_bounded(value: object, field: str, upper: int) -> Fraction:
    number = read_number(value, field)
    if not 0 < number <= upper:
        raise ValueError(f"{field}: must be more than 0 and at most {upper}, got {value!r}")
    return number


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
