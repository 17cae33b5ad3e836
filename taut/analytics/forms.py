"""What the analytics page counts: the period, one thing the sessions share, and how the
breakdown is shown."""

from datetime import date, timedelta

from django import forms

from taut.analytics.queries import Filters
from taut.lib.periods import PeriodForm
from taut.outcomes.models import SessionFacet

DEFAULT_DAYS = 365  # the last 12 months, ending today
DIMENSIONS = [
    (value, label)
    for value, label in SessionFacet.Dimension.choices
    if value != SessionFacet.Dimension.COMPLICATION
]


DEFAULT_CHOICES = {"window": "2w", "threshold": "50", "sort": "estimate", "curves": ""}


class AnalyticsFilterForm(PeriodForm):
    start = forms.DateField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))
    # "muscle:trapezius_upper": the select lists what the clinic's sessions had in the
    # period (``pages.only_choices``), so the value is checked for its shape only.
    only = forms.CharField(
        required=False,
        label="Only sessions with",
        max_length=80,
        widget=forms.Select(choices=[("", "Any")]),
    )
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
        cleaned = super().clean()
        only = cleaned.get("only") or ""
        if only:
            dimension, _, value = only.partition(":")
            if dimension not in dict(DIMENSIONS) or not value:
                self.add_error("only", "Choose what the sessions should share from the list.")
        return cleaned

    def filters(self) -> Filters:
        """The filters asked for (the last 12 months to today when none are)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or self.today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        dimension, _, value = (data.get("only") or "").partition(":")
        return Filters(start, end, dimension, value)

    def choice(self, name: str) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get(name) or DEFAULT_CHOICES[name]
