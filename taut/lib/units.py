"""Pressure pain threshold (PPT) units: kgf/cm², N/cm² and kPa, converted exactly.

Algometers report PPT in kilogram-force per cm² (written "kg/cm²" on most devices), in
N/cm² or in kPa. Taut stores kPa. The factors are exact by definition: 1 kgf = 9.80665 N
(standard gravity), so 1 kgf/cm² = 98.0665 kPa; 1 N/cm² = 10 000 Pa = 10 kPa
(clinical.md §5, "PPT units").

Arithmetic is in :class:`decimal.Decimal` with a fixed context, so the result does not
depend on the caller's decimal settings: a value converted to kPa and back is exactly the
value given. This is unit arithmetic, not a clinical rule, so it lives here and not in
``taut.clinical``.
"""

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Context, Decimal, Overflow
from enum import StrEnum
from types import MappingProxyType


class PptUnit(StrEnum):
    KG_CM2 = "kg/cm2"  # kilogram-force per square centimetre
    N_CM2 = "N/cm2"
    KPA = "kPa"

    @property
    def label(self) -> str:
        return PPT_UNITS[self]


PPT_UNITS: Mapping[PptUnit, str] = MappingProxyType(
    {PptUnit.KG_CM2: "kg/cm²", PptUnit.N_CM2: "N/cm²", PptUnit.KPA: "kPa"}
)

# (value, label) pairs, as a form's choices want them.
PPT_UNIT_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (str(unit), label) for unit, label in PPT_UNITS.items()
)

# The resolution PPT is stored at, in kPa (one decimal place): 0.1 kPa is about 0.001
# kg/cm², finer than an algometer reads, so rounding a converted value to it loses nothing.
KPA_STEP = Decimal("0.1")

# kPa in one of each unit: exact by definition.
KPA_PER_UNIT: Mapping[PptUnit, Decimal] = MappingProxyType(
    {PptUnit.KG_CM2: Decimal("98.0665"), PptUnit.N_CM2: Decimal(10), PptUnit.KPA: Decimal(1)}
)

# 34 significant digits (IEEE decimal128): far beyond any algometer's resolution.
_CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)


def _unit(value: object) -> PptUnit:
    if isinstance(value, str):
        try:
            return PptUnit(value)
        except ValueError:
            pass
    known = ", ".join(PptUnit)
    raise ValueError(f"unit: unknown unit {value!r}; known units: {known}")


def _amount(value: object, field: str) -> Decimal:
    """A non-negative finite number as a Decimal; a float is read as the decimal it prints as."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{field}: expected a number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{field}: must be a finite number, got {value!r}")
        value = Decimal(repr(value))
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{field}: must be a finite number, got {value!r}")
    if number < 0:
        raise ValueError(f"{field}: must not be negative, got {value!r}")
    return number.copy_abs()  # -0 becomes 0; abs() would round to the caller's context


def _convert(operation, amount: Decimal, factor: Decimal, field: str) -> Decimal:
    try:
        return operation(amount, factor)
    except Overflow:
        raise ValueError(f"{field}: too large to convert, got {amount!r}") from None


def to_kpa(value: int | float | Decimal, unit: str) -> Decimal:
    """A pressure in ``unit`` ("kg/cm2", "N/cm2" or "kPa") converted to kPa.

    Exact for any value of up to 28 significant digits (the factor adds at most six).
    """
    amount, factor = _amount(value, "value"), KPA_PER_UNIT[_unit(unit)]
    return _convert(_CONTEXT.multiply, amount, factor, "value")


def from_kpa(kpa: int | float | Decimal, unit: str) -> Decimal:
    """A pressure in kPa converted to ``unit``, to 34 significant digits.

    Exact whenever the quotient fits, so ``from_kpa(to_kpa(v, unit), unit) == v``.
    """
    amount, factor = _amount(kpa, "kpa"), KPA_PER_UNIT[_unit(unit)]
    return _convert(_CONTEXT.divide, amount, factor, "kpa")
