"""The check-in form, built from ``checkins.questions`` for one check-in, in the active
language (the patient's in the portal; English for staff)."""

from typing import Any

from django import forms
from django.utils.translation import gettext

from taut.clinical import checkins


def _choices(question) -> list:
    """The question's choices in the active language (English on the staff side)."""
    return [(c.value, gettext(c.label)) for c in question.choices]


def _score_field(question) -> forms.Field:
    low, high = question.scale
    return forms.TypedChoiceField(
        label=gettext(question.prompt),
        choices=[(n, str(n)) for n in range(low, high + 1)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        help_text=f"{low} = {gettext(question.low)}; {high} = {gettext(question.high)}",
    )


class CheckInForm(forms.Form):
    """One field per question (GAS once per goal); values converted back with ``answers``."""

    def __init__(self, *args, questions, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.goals = goals
        for question in questions:
            kind = question.kind
            if question.scale is not None:
                self.fields[question.id] = _score_field(question)
            elif kind is checkins.Kind.TREATMENTS:
                self.fields[question.id] = forms.MultipleChoiceField(
                    label=gettext(question.prompt),
                    choices=_choices(question),
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
            elif kind is checkins.Kind.GAS:
                for number, goal in enumerate(goals, 1):  # no database ids in the page
                    self.fields[f"gas_{number}"] = forms.TypedChoiceField(
                        label=f"{gettext(question.prompt)} “{goal.text}”",
                        choices=_choices(question),
                        coerce=int,
                        widget=forms.Select,
                    )
            else:
                self.fields[question.id] = forms.ChoiceField(
                    label=gettext(question.prompt),
                    choices=_choices(question),
                    widget=forms.RadioSelect,
                )

    def answers(self) -> dict:
        """The cleaned data as a check-in's answers (question id -> value)."""
        data = self.cleaned_data
        answers: dict[str, Any] = {}
        for question in self.questions:
            if question.kind is checkins.Kind.GAS:
                answers["gas"] = {
                    str(goal.pk): data.get(f"gas_{number}")
                    for number, goal in enumerate(self.goals, 1)
                }
            else:
                answers[question.id] = data.get(question.id)
        return answers


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: called the patient, advised A&E; at least 5 characters.",
    )
