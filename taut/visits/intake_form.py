"""The staff intake form: the pain, PEG, indication, red flags grouped per region (each
group answered "asked, none present" in one go), safety questions, treatment so far and
goals. What it starts from is ``taut.visits.intake_prefill``'s."""

from django import forms

from taut.clinical import atlas, dosing, screening
from taut.clinical import intake as intake_rules
from taut.visits.forms import YES_NO, VersionedForm, YesNoButtons, region_choices, yes_no

#: The red-flag question sets as grouped on the staff intake, by pain region.
RED_FLAG_GROUP_TITLES = {"neck": "Neck, arms and hands", "back": "Back and legs"}
#: Atlas region groups whose pain puts the back set first.
BACK_REGION_GROUPS = {"back_pelvis", "hip_thigh", "knee_leg", "ankle_foot"}
#: The safety questions "None of these" answers No when unanswered.
SAFETY_FIELDS = (
    "site_infection_or_broken_skin",
    "acute_muscle_trauma_at_site",
    "pregnant",
    "bleeding_disorder",
    "anticoagulant_or_antiplatelet",
    "needle_phobia",
    "diabetes",
    "diabetes_poorly_controlled",
)
MULTIPLE_FIELDS = ("indications", "anaesthetic_allergies")

GAS_LEVELS = [
    (-2, "−2 much less than expected"),
    (-1, "−1 somewhat less"),
    (0, "0 the expected outcome"),
    (1, "+1 somewhat more"),
    (2, "+2 much more than expected"),
]
GOAL_ROWS = 3


class IntakeForm(VersionedForm):
    reason = forms.CharField(label="Reason for visit", max_length=300)
    index_region = forms.ChoiceField(label="Where is the main pain?", choices=region_choices)
    index_side = forms.ChoiceField(
        label="Side",
        required=False,
        choices=[("", "Middle / both"), ("left", "Patient's left"), ("right", "Patient's right")],
    )
    pain_months = forms.IntegerField(label="How long (months)", min_value=0, max_value=1200)
    nrs_now = forms.IntegerField(label="Pain now (0–10)", min_value=0, max_value=10)
    nrs_average = forms.IntegerField(
        label="Average pain, last week (0–10)", min_value=0, max_value=10
    )
    nrs_worst = forms.IntegerField(label="Worst pain, last week (0–10)", min_value=0, max_value=10)
    peg_pain = forms.IntegerField(label="PEG — average pain (0–10)", min_value=0, max_value=10)
    peg_enjoyment = forms.IntegerField(
        label="PEG — pain's interference with enjoyment of life (0–10)", min_value=0, max_value=10
    )
    peg_activity = forms.IntegerField(
        label="PEG — pain's interference with general activity (0–10)", min_value=0, max_value=10
    )
    indications = forms.MultipleChoiceField(
        label="Indication",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(i.value, i.value.replace("_", " ").capitalize()) for i in screening.Indication],
        help_text="Leave all unticked if none applies (screening will say not eligible).",
    )
    site_infection_or_broken_skin = yes_no("Infection or broken skin where injections are planned?")
    acute_muscle_trauma_at_site = yes_no("Recent muscle injury where injections are planned?")
    pregnant = yes_no("Pregnant or could be pregnant?")
    bleeding_disorder = yes_no("Bleeding disorder?")
    anticoagulant_or_antiplatelet = yes_no(
        "Taking an anticoagulant or antiplatelet medicine?", help_text="Pre-filled from the chart."
    )
    anaesthetic_allergies = forms.MultipleChoiceField(
        label="Allergic to local anaesthetics",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=dosing.allergen_choices(),
        help_text="Pre-filled from the chart's allergies. An agent rules out its whole class "
        "(amide or ester); parabens need a preservative-free vial; sulfites rule out "
        "epinephrine.",
    )
    needle_phobia = yes_no("Strong fear of needles?")
    steroid_planned = yes_no(
        "A steroid is planned in the injectate?",
        required=False,
        choices=[("", "Undecided"), ("true", "Yes"), ("false", "No")],
        help_text="Leave undecided until the clinician decides: screening waits for it.",
        widget=YesNoButtons,
    )
    diabetes = yes_no("Diabetes?", required=False)
    diabetes_poorly_controlled = yes_no("Poorly controlled diabetes?", required=False)
    conservative_care = forms.CharField(
        label="Conservative care tried (what)",
        max_length=300,
        required=False,
        help_text="e.g. stretching programme, physical therapy, NSAIDs",
    )
    conservative_care_weeks = forms.IntegerField(
        label="For how many weeks (0 if none)", min_value=0, max_value=2000
    )
    previous_tpi = yes_no(
        "Had trigger point injections before?", choices=YES_NO[1:], widget=YesNoButtons
    )
    previous_tpi_details = forms.CharField(label="When and where", max_length=300, required=False)
    previous_tpi_relief = forms.IntegerField(
        label="Relief from them (%)", min_value=0, max_value=100, required=False
    )

    def __init__(self, *args, drawings=(), sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = dict(sources or {})
        self.fields["drawing"] = forms.ChoiceField(
            label="Pain drawing for this visit",
            required=False,
            choices=[("", "None yet")]
            + [
                (
                    str(d.public_id),
                    f"{d.recorded_at:%d %b %Y %H:%M}"
                    + (" (no pain)" if d.no_pain else f" ({d.marks.count()} regions)")
                    + (", drawn by the patient" if d.source == d.Source.PATIENT else ""),
                )
                for d in drawings
            ],
        )
        self.drawings = {str(d.public_id): d for d in drawings}
        for number in range(1, GOAL_ROWS + 1):
            self.fields[f"goal_{number}"] = forms.CharField(
                label=f"Goal {number}, in the patient's words",
                max_length=200,
                required=number == 1,
                help_text="e.g. “Sleep through the night without neck pain”" if number == 1 else "",
            )
            self.fields[f"goal_{number}_level"] = forms.TypedChoiceField(
                label="Where they are now (GAS)",
                choices=GAS_LEVELS,
                coerce=int,
                initial=-1,
                required=False,
                # Django returns empty_value as given; the stubs allow only str or None.
                empty_value=-1,  # type: ignore[arg-type]
            )
        for question in screening.NECK_RED_FLAGS + screening.BACK_RED_FLAGS:
            self.fields[f"rf:{question.id}"] = yes_no(
                question.text, required=False, choices=YES_NO[1:], widget=YesNoButtons
            )
        for name, source in self.sources.items():
            if name in self.fields:
                self.fields[name].help_text = f"{source}: check it with the patient."

    def red_flag_groups(self):
        """One group per pain region (``screening.RED_FLAG_SETS``), each question once; the
        group of the main pain's region first."""
        region = atlas.REGIONS.get(self["index_region"].value() or "")
        first = "back" if region and region.group in BACK_REGION_GROUPS else "neck"
        keys = sorted(screening.RED_FLAG_SETS, key=lambda key: key != first)
        return [
            {
                "key": key,
                "title": RED_FLAG_GROUP_TITLES.get(key, key),
                "fields": [self[f"rf:{q.id}"] for q in screening.RED_FLAG_SETS[key]],
            }
            for key in keys
        ]

    def safety_fields(self):
        return [self[name] for name in SAFETY_FIELDS]

    @staticmethod
    def none_present(data: dict, group: str) -> dict:
        """``data`` (the form's values) with every question of ``group`` answered No: a red
        flag set, or ``safety`` (only its unanswered questions: an answer pre-filled from the
        chart, or given, is kept)."""
        data = dict(data)
        if group in screening.RED_FLAG_SETS:
            data.update({f"rf:{q.id}": "false" for q in screening.RED_FLAG_SETS[group]})
        elif group == "safety":
            for name in SAFETY_FIELDS:
                if data.get(name) in (None, ""):
                    data[name] = "false"
        return data

    @staticmethod
    def values_of(post) -> dict:
        """The submitted values as initial data (lists for the multiple-choice fields)."""
        return {
            name: post.getlist(name) if name in MULTIPLE_FIELDS else post.get(name)
            for name in post
            if name not in ("csrfmiddlewaretoken", "draw", "none_present")
        }

    def chosen_drawing(self):
        return self.drawings.get(self.cleaned_data.get("drawing") or "")

    def red_flag_fields(self):
        return [self[name] for name in self.fields if name.startswith("rf:")]

    def goal_rows(self):
        return [(self[f"goal_{n}"], self[f"goal_{n}_level"]) for n in range(1, GOAL_ROWS + 1)]

    def goals(self) -> list[tuple[str, int]]:
        """(text, GAS level now) for each goal written."""
        data = self.cleaned_data
        return [
            (data[f"goal_{n}"].strip(), data.get(f"goal_{n}_level", -1))
            for n in range(1, GOAL_ROWS + 1)
            if data.get(f"goal_{n}", "").strip()
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for field, message in intake_rules.answer_problems(cleaned).items():
            if field not in self.errors:
                self.add_error(field, message)
        cleaned["red_flags"] = {
            name.removeprefix("rf:"): value
            for name, value in cleaned.items()
            if name.startswith("rf:")
        }
        return cleaned

    def intake_data(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if not k.startswith("rf:") and k not in ("version", "goals", "drawing")
        }
        data["previous_tpi_relief"] = data.get("previous_tpi_relief")
        return data
