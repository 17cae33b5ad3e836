"""Numbers read from a request, kept inside what the database columns can hold.

A number past a column's range fails in the database, each in its own way: SQLite's driver
raises ``OverflowError`` past 64 bits, PostgreSQL refuses past a 32-bit ``integer`` column,
and both ended as a 500. So every number a form reads has bounds inside the narrowest
column it may reach (PostgreSQL's ``integer``, which Django's ``IntegerField`` and
``PositiveIntegerField`` use, and the version columns are), and an out-of-range value is a
field error (400) that never reaches the database. ``taut/tests/test_form_numbers.py``
checks that every form's number fields have such bounds.
"""

from django import forms

# PostgreSQL's integer column (SQLite's integers are 64-bit, so this fits both).
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1  # integer: IntegerField, PositiveIntegerField

VERSION_MESSAGE = "The version on this form is not one Taut wrote: reload the page and try again."


class VersionField(forms.IntegerField):
    """The hidden version an editable record's form carries (a stale one is a conflict).

    Versions start at 1 and live in a ``PositiveIntegerField``: anything else (too large,
    negative, not a whole number) is refused here as a field error."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", INTEGER_MAX)
        messages = dict.fromkeys(("invalid", "min_value", "max_value"), VERSION_MESSAGE)
        kwargs.setdefault("error_messages", messages)
        super().__init__(**kwargs)


def parse_version(raw: object) -> int | None:
    """A version posted without a form (a remove button), or None when it is not one
    ``VersionField`` would accept (not a whole number, below 1, past the column)."""
    field = VersionField()
    try:
        return field.clean(raw)
    except forms.ValidationError:
        return None
