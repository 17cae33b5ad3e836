"""Input checks shared by the clinical rules: one check for each kind of value.

Not rules. Each ``read_*`` function refuses a value a rule cannot read with a ValueError
that names the field (``today: expected a date (not a datetime), got '2026-01-05'``) and
returns the value as the rule reads it. Where a rule words its refusal its own way (a
whole number of weeks, a day ≥ 1, an unknown agent), it asks ``is_whole`` or ``member_of``
and raises its own message.
"""

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TypeGuard, overload

VERSION = "2026.1"

# A number as ``read_number`` reads it, exactly: an int or a float (typing's ``float``
# admits int), or a Decimal as a form or a model's DecimalField gives it.
type Number = float | Decimal


def is_whole(value: object) -> TypeGuard[int]:
    """Whether ``value`` is an int and not a bool (Python counts True as the int 1).

    Not a rule: input checking.
    """
    return isinstance(value, int) and not isinstance(value, bool)


def member_of[E: StrEnum](choices: type[E], value: object) -> E | None:
    """The member of ``choices`` whose value is ``value``, or None, so that the caller can
    refuse it in its own words (``unknown agent 'lidocain'; known agents: …``).

    Not a rule: input checking.
    """
    if not isinstance(value, str):
        return None
    try:
        return choices(value)
    except ValueError:
        return None


def read_flag(value: object, field: str) -> bool:
    """``value`` if it is True or False. Not a rule: input checking."""
    if not isinstance(value, bool):
        raise ValueError(f"{field}: expected True or False, got {value!r}")
    return value


def read_text(value: object, field: str) -> str:
    """``value`` if it is text (a str). Not a rule: input checking."""
    if not isinstance(value, str):
        raise ValueError(f"{field}: expected text, got {value!r}")
    return value


def read_date(value: object, field: str) -> date:
    """``value`` if it is a date; a datetime is refused, since a rule counts whole days.

    Not a rule: input checking.
    """
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{field}: expected a date (not a datetime), got {value!r}")
    return value


def read_number(value: object, field: str) -> Fraction:
    """``value`` as an exact number: a float is read as the decimal it prints as (``0.2`` is
    two tenths, not the binary value just above it), so no rounding can move a result across
    a limit. Bools, text, NaN and infinities are refused.

    Not a rule: input checking.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise ValueError(f"{field}: expected a number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{field}: must be a finite number, got {value!r}")
        return Fraction(repr(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{field}: must be a finite number, got {value!r}")
    return Fraction(value)


def read_between(value: object, field: str, low: int, high: int) -> Fraction:
    """``value`` as an exact number (``read_number``) from ``low`` to ``high`` inclusive.

    Not a rule: input checking (the bounds are the caller's).
    """
    number = read_number(value, field)
    if not low <= number <= high:
        raise ValueError(f"{field}: must be from {low} to {high}, got {value!r}")
    return number


@overload
def read_collection[T](value: Iterable[T], field: str, expected: str) -> Iterable[T]: ...
@overload
def read_collection(value: object, field: str, expected: str) -> Iterable[object]: ...
def read_collection(value: object, field: str, expected: str) -> Iterable[object]:
    """``value`` if it is a collection of items: iterable, but not text or bytes (whose
    characters would be read as items) and not a mapping (whose keys would be).
    ``expected`` says what was wanted: ``read_collection(x, "marks", "a list of marks")``.
    The items are the caller's to check.

    Not a rule: input checking.
    """
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValueError(f"{field}: expected {expected}, got {value!r}")
    return value


def read_dated(
    value: object, field: str, *, start: date, columns: tuple[str, ...]
) -> list[tuple[str, date, tuple[object, ...]]]:
    """Rows of ``(date, *columns)`` dated on or after ``start``, as ``(field of the row, its
    date, the rest)``: follow-ups after a session. The rest are the caller's to check
    (under ``f"{field of the row}.{column}"``).

    Not a rule: input checking.
    """
    shape = f"({', '.join(('date', *columns))})"
    rows = []
    for index, item in enumerate(read_collection(value, field, f"a list of {shape}")):
        row = f"{field}[{index}]"
        if not isinstance(item, tuple | list) or len(item) != len(columns) + 1:
            raise ValueError(f"{row}: expected {shape}, got {item!r}")
        when = read_date(item[0], f"{row}.date")
        if when < start:
            raise ValueError(f"{row}.date: {when} is before session_date {start}")
        rows.append((row, when, tuple(item[1:])))
    return rows
