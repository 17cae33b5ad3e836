"""What the analytics page counts: the period, one thing the sessions share, and how the
breakdown is shown."""

from datetime import date, timedelta

from django import forms

from taut.analytics.queries import Filters
from taut.outcomes.models import SessionFacet

DEFAULT_DAYS = 365  # the last 12 months, ending today
DIMENSIONS = [
    (value, label)
    for value, label in SessionFacet.Dimension.choices
    if value != SessionFacet.Dimension.COMPLICATION
]


DEFAULT_CHOICES = {"window": "2w", "threshold": "50", "sort": "estimate", "curves": ""}


class AnalyticsFilterForm(forms.Form):
    start = forms.DateField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))
    dimension = forms.ChoiceField(
        required=False, label="Only sessions with", choices=[("", "Any"), *DIMENSIONS]
    )
    value = forms.CharField(required=False, label="Equal to", max_length=60)
    window = forms.ChoiceField(
        required=False, label="Relief at", choices=[("2w", "2 weeks"), ("6w", "6 weeks")]
    )
    threshold = forms.ChoiceField(
        required=False, label="At least", choices=[("50", "50 % relief"), ("30", "30 % relief")]
    )
    sort = forms.ChoiceField(
        required=False,
        label="Sort groups by",
        choices=[("estimate", "Share of responders"), ("patients", "Patients"), ("name", "Name")],
    )
    curves = forms.ChoiceField(
        required=False, label="Durability curves by", choices=[("", "All sessions"), *DIMENSIONS]
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date is before the start date.")
        if cleaned.get("value") and not cleaned.get("dimension"):
            self.add_error("dimension", "Choose what the sessions should share.")
        return cleaned

    def filters(self) -> Filters:
        """The filters asked for (the last 12 months to today when none are)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or self.today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        dimension = data.get("dimension") or ""
        return Filters(start, end, dimension, data.get("value", "") if dimension else "")

    def choice(self, name: str) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get(name) or DEFAULT_CHOICES[name]
