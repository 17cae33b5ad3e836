"""The self-check's form: where it hurts, how long, what has been tried, and the red-flag
questions of ``taut.clinical.screening`` (their patient wording). Built in the reader's
language (the view activates it first); ``answers()`` gives the answers as
``taut.clinical.patient_education`` reads them."""

from django import forms
from django.utils.translation import gettext

from taut.clinical import patient_education as education
from taut.clinical.screening import PATIENT_RED_FLAG_SETS
from taut.public.display import choices

YES, NO = "yes", "no"


def red_flag_field_name(question_id: str) -> str:
    """A form field's name for a red-flag question id ("neck.fever" → "flag_neck_fever")."""
    return "flag_" + question_id.replace(".", "_")


class SelfCheckForm(forms.Form):
    regions = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    duration = forms.ChoiceField(widget=forms.RadioSelect)
    tried = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["regions"].label = gettext("Where is your pain?")
        fields["regions"].help_text = gettext("Choose every place that hurts.")
        fields["duration"].label = gettext("How long have you had this pain?")
        fields["tried"].label = gettext("What have you tried for this pain?")
        fields["tried"].help_text = gettext("Choose all that apply, or “Nothing yet”.")
        for name, options in (
            ("regions", education.SELFCHECK_AREAS),
            ("duration", education.DURATIONS),
            ("tried", education.TRIED),
        ):
            field = fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices(options)
        fields["regions"].error_messages["required"] = gettext(
            "Choose at least one place where it hurts."
        )
        fields["duration"].error_messages["required"] = gettext("Choose how long it has hurt.")
        fields["tried"].error_messages["required"] = gettext(
            "Choose what you have tried, or “Nothing yet”."
        )
        for question in education.SELFCHECK_RED_FLAGS:
            field = forms.ChoiceField(
                label=gettext(question.patient_text),
                choices=[(YES, gettext("Yes")), (NO, gettext("No"))],
                widget=forms.RadioSelect,
                error_messages={"required": gettext("Please answer yes or no.")},
            )
            fields[red_flag_field_name(question.id)] = field

    def red_flag_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The red-flag questions in their two sets, with a heading for each."""
        headings = {
            "neck": gettext("Questions about your neck, arms, and head"),
            "back": gettext("Questions about your back and legs"),
        }
        return [
            (headings[name], [self[red_flag_field_name(q.id)] for q in questions])
            for name, questions in PATIENT_RED_FLAG_SETS.items()
        ]

    def clean_tried(self):
        tried = self.cleaned_data["tried"]
        if education.NOTHING in tried and len(tried) > 1:
            raise forms.ValidationError(
                gettext("“Nothing yet” cannot go with other choices. Uncheck one of them.")
            )
        return tried

    def answers(self) -> dict[str, object]:
        """The answers as ``patient_education.selfcheck`` reads them (JSON-serialisable)."""
        data = self.cleaned_data
        return {
            "regions": list(data["regions"]),
            "duration": data["duration"],
            "tried": list(data["tried"]),
            "red_flags": {
                q.id: data[red_flag_field_name(q.id)] == YES for q in education.SELFCHECK_RED_FLAGS
            },
        }
