"""The self-check's form: where it hurts, how long, what has been tried, and the red-flag
questions of ``taut.clinical.screening`` (their patient wording). Built in the reader's
language (the view activates it first); ``answers()`` gives the answers as
``taut.clinical.patient_education`` reads them.

"Where is your pain?" has two ways in (``where``): the short list of areas (``regions``,
the default) or the body map (``mark``: the atlas's places, "region:side", as the portal's
pain drawing names them), whose places count as the areas that hold them
(``patient_education.selfcheck_areas_for``). Pressing "Show me on a body map instead" or
"Choose from the short list instead" (``show``) sends the form back unchecked in the other
way, with the answers so far (``for_request``)."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext

from taut.atlas.forms import place_key
from taut.clinical import atlas
from taut.clinical import patient_education as education
from taut.clinical.screening import PATIENT_RED_FLAG_SETS
from taut.public.display import choices

YES, NO = "yes", "no"
LIST, MAP = "list", "map"
PLACE_KEYS = [place_key(region_id, side) for region_id, side in atlas.places()]
AREA_IDS = {choice.id for choice in education.SELFCHECK_AREAS}


def red_flag_field_name(question_id: str) -> str:
    """A form field's name for a red-flag question id ("neck.fever" → "flag_neck_fever")."""
    return "flag_" + question_id.replace(".", "_")


def _region_of(key: str) -> str:
    return key.split(":", 1)[0]


class SelfCheckForm(forms.Form):
    where = forms.ChoiceField(
        choices=[(LIST, LIST), (MAP, MAP)], required=False, widget=forms.HiddenInput
    )
    regions = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, required=False)
    mark = forms.MultipleChoiceField(
        choices=[(key, key) for key in PLACE_KEYS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    duration = forms.ChoiceField(widget=forms.RadioSelect)
    tried = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["regions"].label = gettext("Where is your pain?")
        fields["regions"].help_text = gettext("Choose every place that hurts.")
        fields["mark"].label = gettext("Where is your pain?")
        fields["mark"].help_text = gettext(
            "Tap each place that hurts on the front or the back of the body. Tap a place "
            "again to clear it."
        )
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

    @classmethod
    def for_request(cls, data: QueryDict | None) -> "SelfCheckForm":
        """The form for a request: empty for a GET, bound to a POST, or, when the POST is
        a press of "Show me on a body map instead" or "Choose from the short list
        instead" (``show``), unbound in that way with the answers so far as initial
        values (places marked on the map become their areas on the list; the map starts
        blank, as the short list's areas are wider than any place on it)."""
        if data is None or data.get("show") not in (LIST, MAP):
            return cls(data)
        initial: dict[str, object] = {}
        for name, field in cls().fields.items():
            multiple = isinstance(field, forms.MultipleChoiceField)
            initial[name] = data.getlist(name) if multiple else data.get(name)
        initial["where"] = data["show"]
        if data["show"] == LIST:
            marked = [_region_of(k) for k in data.getlist("mark") if k in PLACE_KEYS]
            chosen = [r for r in data.getlist("regions") if r in AREA_IDS]
            initial["regions"] = list(education.selfcheck_areas_for([*chosen, *marked]))
        initial["mark"] = data.getlist("mark") if data["show"] == MAP else []
        return cls(initial=initial)

    @property
    def on_map(self) -> bool:
        """Whether "Where is your pain?" is shown on the body map."""
        where = self.data.get("where") if self.is_bound else self.initial.get("where")
        return where == MAP

    def marked(self) -> set[str]:
        """The places marked on the map (keys), as sent or carried over."""
        if isinstance(self.data, QueryDict):
            values = self.data.getlist("mark")
        else:
            values = self.initial.get("mark", [])
        return {key for key in values if key in PLACE_KEYS}

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

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if "regions" not in data or "mark" not in data:
            return data  # a forged choice: its field says so
        marked = [_region_of(key) for key in data["mark"]]
        # An area's id is the atlas region it is named for, so the list's choices map to
        # themselves and both ways come out in the list's order.
        data["areas"] = list(education.selfcheck_areas_for([*data["regions"], *marked]))
        if data["areas"]:
            return data
        if marked:
            self.add_error("mark", gettext(
                "The self-check has no area for the place you marked. Please mark the "
                "nearest place that hurts too, or call us to talk about it."
            ))  # fmt: skip
        elif data.get("where") == MAP:
            self.add_error("mark", gettext(
                "Mark at least one place that hurts on the body map, or choose one from "
                "the list under it."
            ))  # fmt: skip
        else:
            self.add_error("regions", self.fields["regions"].error_messages["required"])
        return data

    def answers(self) -> dict[str, object]:
        """The answers as ``patient_education.selfcheck`` reads them (JSON-serialisable)."""
        data = self.cleaned_data
        return {
            "regions": list(data["areas"]),
            "duration": data["duration"],
            "tried": list(data["tried"]),
            "red_flags": {
                q.id: data[red_flag_field_name(q.id)] == YES for q in education.SELFCHECK_RED_FLAGS
            },
        }
