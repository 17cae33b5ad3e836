from django import forms

from taut.outcomes.models import FunctionReading, NextStepDecision


class DecisionForm(forms.Form):
    """The clinician's decision under the advice. The rules (when a note is needed, which
    dates are allowed) are checked by ``services.record_decision``, not here."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=NextStepDecision.Choice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision."},
    )
    note = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when your decision differs from the advice.",
    )
    review_on = forms.DateField(
        label="Review on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Required to pause and review; optional otherwise.",
    )
    # What the card showed when it was opened, so a stale form is refused.
    visit = forms.UUIDField(widget=forms.HiddenInput)
    advice = forms.CharField(widget=forms.HiddenInput, max_length=64)
    previous = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if {"visit", "advice", "previous"} & set(self.errors):
            raise forms.ValidationError(
                "This form is missing what the card showed: reload the page and decide again."
            )
        return cleaned


class FunctionReadingForm(forms.Form):
    """The clinician's reading of function after one session. Whether a note is needed is
    checked by ``services.record_function_reading``, not here."""

    improved = forms.TypedChoiceField(
        label="Function after this session",
        choices=[("yes", "Improved"), ("no", "Not improved")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose improved or not improved."},
    )
    scale = forms.ChoiceField(
        label="Scale read",
        choices=FunctionReading.Scale.choices,
        initial=FunctionReading.Scale.PEG,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the scale you read."},
    )
    scale_name = forms.CharField(
        label="Other scale's name",
        required=False,
        max_length=120,
        help_text="Only for another validated scale, e.g. Neck Disability Index.",
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when your reading differs from what the PEG figures suggest, "
        "or with another scale (give its scores).",
    )
    # What the form showed when it was opened, so a stale form is refused.
    visit = forms.UUIDField(widget=forms.HiddenInput)
    previous = forms.UUIDField(widget=forms.HiddenInput, required=False)
    evidence = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean(self):
        cleaned = super().clean()
        if {"visit", "previous", "evidence"} & set(self.errors):
            raise forms.ValidationError(
                "This form is missing what the card showed: reload the page and record again."
            )
        return cleaned
