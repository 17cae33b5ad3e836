"""Pressure pain threshold units: taut.lib.units (clinical.md §5, "PPT units")."""

import contextlib
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.lib.units import (
    KPA_PER_UNIT,
    KPA_STEP,
    PPT_UNIT_CHOICES,
    PPT_UNITS,
    PptUnit,
    from_kpa,
    to_kpa,
)


def test_it_lists_the_three_units_with_labels():
    assert [(str(unit), label) for unit, label in PPT_UNITS.items()] == [
        ("kg/cm2", "kg/cm²"),
        ("N/cm2", "N/cm²"),
        ("kPa", "kPa"),
    ]
    assert PptUnit("kg/cm2").label == "kg/cm²"
    assert PPT_UNIT_CHOICES == (("kg/cm2", "kg/cm²"), ("N/cm2", "N/cm²"), ("kPa", "kPa"))


def test_it_stores_kpa_to_a_tenth():
    assert str(KPA_STEP) == "0.1"
    assert to_kpa(Decimal("4.56"), "kg/cm2").quantize(KPA_STEP) == Decimal("447.2")


def test_it_uses_the_exact_factors():
    # 1 kgf = 9.80665 N by definition, so 1 kgf/cm² = 98.0665 kPa; 1 N/cm² = 10 kPa.
    assert KPA_PER_UNIT[PptUnit.KG_CM2] == Decimal("98.0665")
    assert KPA_PER_UNIT[PptUnit.N_CM2] == 10
    assert KPA_PER_UNIT[PptUnit.KPA] == 1


@pytest.mark.parametrize(
    ("value", "unit", "kpa"),
    [
        (1, "kg/cm2", Decimal("98.0665")),
        (4.5, "kg/cm2", Decimal("441.29925")),  # 4.5 read as exactly 4.5
        (2, "kg/cm2", Decimal("196.133")),  # the 2 kg/cm² side-to-side difference [S40]
        (Decimal("0.1"), "kg/cm2", Decimal("9.80665")),
        (1, "N/cm2", Decimal(10)),
        (0.1, "N/cm2", Decimal(1)),  # 0.1 read as one tenth, not the float above it
        (Decimal("35.7"), "N/cm2", Decimal(357)),
        (300, "kPa", Decimal(300)),
        (0, "kg/cm2", Decimal(0)),
    ],
)
def test_it_converts_to_kpa(value, unit, kpa):
    assert to_kpa(value, unit) == kpa


@pytest.mark.parametrize(
    ("kpa", "unit", "value"),
    [
        (Decimal("98.0665"), "kg/cm2", Decimal(1)),
        (Decimal("441.29925"), "kg/cm2", Decimal("4.5")),
        (500, "N/cm2", Decimal(50)),
        (Decimal("12.5"), "kPa", Decimal("12.5")),
        (0, "N/cm2", Decimal(0)),
    ],
)
def test_it_converts_from_kpa(kpa, unit, value):
    assert from_kpa(kpa, unit) == value


def test_it_rounds_an_inexact_quotient_to_34_digits():
    result = from_kpa(100, "kg/cm2")  # 100 / 98.0665 does not terminate
    assert len(result.as_tuple().digits) == 34
    assert abs(Fraction(result) - Fraction(100) / Fraction("98.0665")) < Fraction(1, 10**32)


def test_it_ignores_the_callers_decimal_context():
    with localcontext() as context:
        context.prec = 3
        assert to_kpa(Decimal("4.5"), "kg/cm2") == Decimal("441.29925")
        long = Decimal("1.234567890123456789012345678901234")  # 34 digits
        assert to_kpa(long, "kPa").compare_total(long) == 0


def test_it_never_returns_negative_zero():
    assert str(to_kpa(Decimal("-0"), "kPa")) == "0"


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        (1, "psi", r"^unit: unknown unit 'psi'; known units: kg/cm2, N/cm2, kPa"),
        (1, "kg/cm²", r"^unit: unknown unit"),  # the label is not the unit id
        (1, "kpa", r"^unit: unknown unit"),
        (1, None, r"^unit: unknown unit"),
        (-1, "kPa", r"^value: must not be negative"),
        (Decimal("-0.01"), "kg/cm2", r"^value: must not be negative"),
        (float("nan"), "kPa", r"^value: must be a finite number"),
        (Decimal("NaN"), "kPa", r"^value: must be a finite number"),
        (Decimal("sNaN"), "kPa", r"^value: must be a finite number"),
        (float("inf"), "kPa", r"^value: must be a finite number"),
        (Decimal("Infinity"), "kPa", r"^value: must be a finite number"),
        ("4.5", "kPa", r"^value: expected a number"),
        (True, "kPa", r"^value: expected a number"),
        (None, "kPa", r"^value: expected a number"),
        (Decimal("9e999999"), "kg/cm2", r"^value: too large"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(value, unit, message):
    with pytest.raises(ValueError, match=message):
        to_kpa(value, unit)


def test_it_names_kpa_when_converting_from_kpa():
    with pytest.raises(ValueError, match=r"^kpa: must not be negative"):
        from_kpa(-5, "kg/cm2")


units = st.sampled_from(list(PptUnit))
readings = st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False)


@given(readings, units)
def test_it_round_trips_a_reading_through_kpa_exactly(value, unit):
    assert from_kpa(to_kpa(value, unit), unit) == value


@given(st.floats(min_value=0, max_value=1e6), units)
def test_it_round_trips_a_float_reading_as_the_decimal_it_prints_as(value, unit):
    assert from_kpa(to_kpa(value, unit), unit) == Decimal(repr(value))


@given(readings, units)
def test_it_round_trips_kpa_through_a_unit_to_within_the_34th_digit(kpa, unit):
    back = to_kpa(from_kpa(kpa, unit), unit)
    assert abs(back - kpa) <= kpa * Decimal("1e-32")


@given(readings, readings, units)
def test_it_keeps_the_order_of_readings(a, b, unit):
    low, high = sorted((a, b))
    assert to_kpa(low, unit) <= to_kpa(high, unit)
    assert from_kpa(low, unit) <= from_kpa(high, unit)


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(max_size=8),
    st.sampled_from([*PptUnit, "kg/cm²", ""]),
    st.lists(st.integers(), max_size=3),
)


@given(junk, junk)
def test_it_raises_only_value_error_on_bad_input(value, unit):
    for call in (lambda: to_kpa(value, unit), lambda: from_kpa(value, unit)):
        with contextlib.suppress(ValueError):  # any other exception fails
            call()
