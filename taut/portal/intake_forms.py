"""The patient's pre-visit intake: the staff intake's questions, in plain words.

Every clinical question comes from ``taut.clinical`` (the pain scores and PEG from
``clinical.intake``; red flags and safety questions from ``clinical.screening``). Field
names are the ``Intake`` fields (red flags ``rf:<question id>``), so the answers reach
``visits.services.intake.record_patient_intake`` in the shape the staff form uses.
"""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from taut.atlas.display import patient_group_title, patient_place
from taut.atlas.forms import MarksForm
from taut.clinical import atlas, dosing, screening
from taut.clinical import intake as questions
from taut.clinical.wording import gettext_noop

ANSWERS = [("yes", _("Yes")), ("no", _("No")), ("unsure", _("Not sure"))]
ANSWER_VALUES = {"yes": True, "no": False, "unsure": None}
SIDES = [
    ("left", pgettext_lazy("side of the body", "Left")),
    ("right", pgettext_lazy("side of the body", "Right")),
    ("both", _("Both sides, or the middle")),
]
GOAL_ROWS = 3
# The numbing drugs by the names a patient reads (a test keeps one per dosing.AGENTS).
AGENT_NAMES = {
    "lidocaine": _("Lidocaine"),
    "bupivacaine": _("Bupivacaine"),
    "ropivacaine": _("Ropivacaine"),
    "mepivacaine": _("Mepivacaine"),
    "procaine": _("Procaine"),
    "chloroprocaine": _("Chloroprocaine"),
}
# What the patient reads when questions.answer_problems finds a contradiction, by field.
PROBLEMS = {
    "nrs_worst": _(
        "Your worst pain can't be lower than your pain now or your average pain. "
        "Please check these numbers."
    ),
    "index_region": _("Please choose where your main pain is from the list."),
}


def yes_no_unsure(label, help_text=""):
    """Yes, No or Not sure: "not sure" is kept as unanswered, for staff to ask. ``label``
    and ``help_text`` are clinical wording (``taut.clinical``), shown in the page's
    language."""
    return forms.TypedChoiceField(
        label=_(label),
        help_text=_(help_text) if help_text else "",
        choices=ANSWERS,
        widget=forms.RadioSelect,
        coerce=ANSWER_VALUES.get,
        error_messages=dict.fromkeys(
            ("required", "invalid_choice"), _("Please choose Yes, No or Not sure.")
        ),
    )


def scale(question):
    low, high = question.scale
    return forms.TypedChoiceField(
        label=gettext(question.prompt),
        help_text=gettext("%(low)s = %(low_words)s. %(high)s = %(high_words)s.")
        % {
            "low": low,
            "low_words": gettext(question.low),
            "high": high,
            "high_words": gettext(question.high),
        },
        choices=[(n, str(n)) for n in range(low, high + 1)],
        widget=forms.RadioSelect,
        coerce=int,
        error_messages=dict.fromkeys(
            ("required", "invalid_choice"),
            format_lazy(_("Please choose a number from {low} to {high}."), low=low, high=high),
        ),
    )


def whole_number(label, *, help_text="", high, required=True):
    message = format_lazy(_("Please write a whole number from 0 to {high}."), high=high)
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=high,
        required=required,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Please write a number (0 if none)."),
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


def region_choices():
    """The body regions in the patient's words and language, grouped the way the body
    map's list view groups them (called when the form is shown, in the page's language)."""
    groups: dict[str, list] = {}
    for region in atlas.REGIONS.values():
        groups.setdefault(patient_group_title(region.group), []).append(
            (region.id, patient_place(region.id))
        )
    return [("", gettext("Choose…")), *groups.items()]


class PatientIntakeForm(forms.Form):
    reason = forms.CharField(
        label=_("What is the main reason for your visit?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “Pain in my neck and shoulder that stops me sleeping.”"),
        error_messages={"required": _("Please tell us why you are coming.")},
    )
    index_region = forms.ChoiceField(
        label=_("Where is your main pain?"),
        choices=region_choices,
        help_text=_(
            "Choose the place that bothers you most. You can show every place on the "
            "body map in the next step."
        ),
        error_messages={"required": _("Please choose where your main pain is.")},
    )
    index_side = forms.ChoiceField(
        label=_("Which side?"),
        choices=SIDES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a side.")},
    )
    pain_months = whole_number(
        _("How many months have you had this pain?"),
        help_text=_("Less than a month? Write 0. One year is 12 months."),
        high=1200,
    )
    conservative_care = forms.CharField(
        label=_("What have you already tried for this pain?"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: stretches, home workouts, massage, pain pills, or PT."),
    )
    conservative_care_weeks = whole_number(
        _("For how many weeks, in total, have you tried them?"),
        help_text=_("Write 0 if you have not tried anything yet."),
        high=2000,
    )
    previous_tpi = yes_no_unsure(gettext_noop("Have you had trigger point injections before?"))
    previous_tpi_details = forms.CharField(
        label=_("If yes: when, and where?"), max_length=300, required=False
    )
    previous_tpi_relief = whole_number(
        _("If yes: how much did they help, in percent?"),
        help_text=_("0 = not at all. 50 = half the pain went away. 100 = all of it went away."),
        high=100,
        required=False,
    )
    anaesthetic_allergies = forms.MultipleChoiceField(
        label=_(screening.PATIENT_ALLERGY_QUESTION.text),
        help_text=_(screening.PATIENT_ALLERGY_QUESTION.help),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(agent, AGENT_NAMES[agent]) for agent in dosing.AGENTS],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in (*questions.PAIN_ITEMS, *questions.PEG_ITEMS):
            self.fields[question.id] = scale(question)
        for safety in screening.PATIENT_SAFETY_QUESTIONS:
            self.fields[safety.id] = yes_no_unsure(safety.text, safety.help)
        for group in screening.PATIENT_RED_FLAG_SETS.values():
            for flag in group:
                self.fields[f"rf:{flag.id}"] = yes_no_unsure(flag.patient_text)
        for number in range(1, GOAL_ROWS + 1):
            self.fields[f"goal_{number}"] = forms.CharField(
                label=(
                    gettext("Goal %(number)s")
                    if number == 1
                    else gettext("Goal %(number)s (if you have one)")
                )
                % {"number": number},
                max_length=200,
                required=number == 1,
                error_messages={"required": gettext("Please write at least one goal.")},
            )

        self.order_fields(self._page_order())

    def _page_order(self) -> list[str]:
        """The field names in the order intake.html asks them (the error summary's order)."""
        return [
            "reason",
            "index_region",
            "index_side",
            "pain_months",
            *(q.id for q in (*questions.PAIN_ITEMS, *questions.PEG_ITEMS)),
            *(q.id for q in screening.PATIENT_SAFETY_QUESTIONS),
            "anaesthetic_allergies",
            *(
                f"rf:{q.id}"
                for group in ("neck", "back")
                for q in screening.PATIENT_RED_FLAG_SETS[group]
            ),
            "conservative_care",
            "conservative_care_weeks",
            "previous_tpi",
            "previous_tpi_details",
            "previous_tpi_relief",
            *(f"goal_{n}" for n in range(1, GOAL_ROWS + 1)),
        ]

    def error_summary(self) -> list[tuple[str, str, list[str]]]:
        """Each question with an error, in page order: the id its link goes to (a group's
        first choice, or the box itself), its label and its messages."""
        summary = []
        for field in self:
            if field.errors:
                target = f"{field.auto_id}_0" if field.use_fieldset else field.id_for_label
                summary.append((target, str(field.label), [str(e) for e in field.errors]))
        return summary

    # Groups of bound fields, in the order the page asks them.
    def _bound(self, names):
        return [self[name] for name in names]

    def pain_fields(self):
        return self._bound(q.id for q in questions.PAIN_ITEMS)

    def peg_fields(self):
        return self._bound(q.id for q in questions.PEG_ITEMS)

    def safety_fields(self):
        return self._bound(q.id for q in screening.PATIENT_SAFETY_QUESTIONS)

    def red_flag_fields(self, group):
        return self._bound(f"rf:{q.id}" for q in screening.PATIENT_RED_FLAG_SETS[group])

    def neck_fields(self):
        return self.red_flag_fields("neck")

    def back_fields(self):
        return self.red_flag_fields("back")

    def goal_fields(self):
        return self._bound(f"goal_{n}" for n in range(1, GOAL_ROWS + 1))

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        region = atlas.REGIONS.get(cleaned.get("index_region") or "")
        side = cleaned.get("index_side")
        if side == "both" or (region is not None and region.midline):
            cleaned["index_side"] = ""  # a side does not apply in the middle of the body
        for field in questions.answer_problems(cleaned):
            if field not in self.errors and field in PROBLEMS:
                self.add_error(field, PROBLEMS[field])
        cleaned["red_flags"] = {
            name.removeprefix("rf:"): value
            for name, value in cleaned.items()
            if name.startswith("rf:")
        }
        return cleaned

    def intake_data(self) -> dict:
        """The answers under the ``Intake`` field names (red flags folded into one dict)."""
        skip = ("rf:", "goal_")
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith(skip)}

    def goals(self) -> list[str]:
        texts = (self.cleaned_data.get(f"goal_{n}", "") for n in range(1, GOAL_ROWS + 1))
        return [text.strip() for text in texts if text.strip()]


class PatientDrawingForm(MarksForm):
    """The patient's pain drawing: at least one place, or "no pain anywhere"."""

    def clean(self):
        cleaned = super().clean()
        if not self.marks and not cleaned.get("no_pain"):
            raise forms.ValidationError(
                gettext("Please show where it hurts on the body, or tick “No pain anywhere”.")
            )
        return cleaned


def drawing_fields(data) -> list[tuple[str, str]]:
    """The drawing's posted values, to carry through the questions page when the patient
    goes back to change an answer (so nothing they drew is lost)."""
    marked = data.getlist("mark")
    carried = [("mark", key) for key in marked]
    for key in marked:
        carried += [(f"intensity:{key}", v) for v in data.getlist(f"intensity:{key}")]
        carried += [(f"quality:{key}", v) for v in data.getlist(f"quality:{key}")]
    if data.get("no_pain"):
        carried.append(("no_pain", data["no_pain"]))
    return carried
