"""A form's period: its ``start`` and ``end`` dates, the end not before the start."""

from typing import Any

from django import forms

END_BEFORE_START = "The end date is before the start date."


class PeriodForm(forms.Form):
    """A form with optional ``start`` and ``end`` date fields (declared by the subclass, with
    its own labels) that refuses an end before the start, as the end field's error."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", END_BEFORE_START)
        return cleaned
