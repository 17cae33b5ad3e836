from django import forms

from taut.accounts.models import User
from taut.accounts.roles import Role
from taut.clinical import atlas, consent, dosing, fibromyalgia, screening, steroids
from taut.clinical import intake as intake_rules
from taut.lib import units
from taut.visits.models import (
    FibromyalgiaSurvey,
    InjectionSite,
    Intake,
    Procedure,
    ScreeningDecision,
    TriggerPointFinding,
    Visit,
)

YES_NO = [("", "—"), ("true", "Yes"), ("false", "No")]


class YesNoSelect(forms.Select):
    """Shows a saved answer (True/False) as its "true"/"false" choice, so a form can be
    pre-filled from a record's booleans as they are."""

    def format_value(self, value):
        return super().format_value({True: "true", False: "false"}.get(value, value))


class YesNoButtons(forms.RadioSelect):
    """Yes and No as two radio buttons (styled as buttons); neither chosen means "not
    asked". Shows a saved answer (True/False) as its choice, like ``YesNoSelect``."""

    def format_value(self, value):
        return super().format_value({True: "true", False: "false"}.get(value, value))


def yes_no(label, *, required=True, choices=YES_NO, help_text="", widget=YesNoSelect):
    """A yes/no question whose blank answer means "not asked" (three-valued)."""
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        coerce=lambda value: value is True or value == "true",
        empty_value=None,
        widget=widget,
    )


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


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def region_choices():
    return [
        ("", "Choose…"),
        *sorted(((r.id, r.label) for r in atlas.REGIONS.values()), key=lambda pair: pair[1]),
    ]


def muscle_choices():
    return [
        ("", "Choose a muscle…"),
        *sorted(((m.id, m.name) for m in atlas.MUSCLES.values()), key=lambda pair: pair[1]),
    ]


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    clinician = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        clinician = self.fields["clinician"]
        assert isinstance(clinician, forms.ModelChoiceField)  # declared above
        clinician.queryset = User.objects.filter(clinic=clinic, role=Role.CLINICIAN, is_active=True)


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


class FibromyalgiaForm(VersionedForm):
    painful_areas = forms.MultipleChoiceField(
        label="Painful areas in the past week (Widespread Pain Index)",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[(a, str(a).replace("_", " ").capitalize()) for a in fibromyalgia.WPI_AREAS],
    )
    fatigue = forms.TypedChoiceField(
        choices=[(i, i) for i in range(4)], coerce=int, label="Fatigue (0–3)"
    )
    unrefreshed = forms.TypedChoiceField(
        choices=[(i, i) for i in range(4)], coerce=int, label="Waking unrefreshed (0–3)"
    )
    cognitive = forms.TypedChoiceField(
        choices=[(i, i) for i in range(4)], coerce=int, label="Cognitive symptoms (0–3)"
    )
    headaches = forms.BooleanField(required=False, label="Headaches in the past 6 months")
    lower_abdominal = forms.BooleanField(
        required=False, label="Pain or cramps in the lower abdomen"
    )
    depression = forms.BooleanField(required=False, label="Depression")
    months = forms.IntegerField(min_value=0, max_value=1200, label="Symptoms present for (months)")


class DecisionForm(VersionedForm):
    kind = forms.ChoiceField(choices=ScreeningDecision.Kind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(max_length=500, widget=forms.Textarea({"rows": 2}))
    named = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Red flags I have assessed (name each one to go ahead)",
    )

    def __init__(self, *args, red_flags=(), **kwargs):
        super().__init__(*args, **kwargs)
        named = self.fields["named"]
        assert isinstance(named, forms.MultipleChoiceField)  # declared above
        named.choices = list(red_flags)


SIDE_CHOICES = [("", "Choose…"), *TriggerPointFinding.Side.choices]


class FindingForm(VersionedForm):
    muscle = forms.ChoiceField(choices=muscle_choices)
    side = forms.ChoiceField(choices=SIDE_CHOICES)
    location = forms.CharField(max_length=200, required=False, label="Where the point is")
    taut_band = yes_no("Taut band")
    spot_tenderness = yes_no("Hypersensitive spot (spot tenderness)")
    referred_pain = yes_no("Referred pain")
    referred_to = forms.CharField(max_length=200, required=False, label="Referred where")
    recognised = yes_no("Patient recognises the pain as theirs")
    twitch = yes_no("Local twitch response", required=False)
    jump_sign = yes_no("Jump sign", required=False)
    limited_stretch = yes_no("Painful limit to stretch", required=False)
    ppt = forms.DecimalField(
        label="Pressure pain threshold", required=False, min_value=0, max_digits=6, decimal_places=2
    )
    ppt_unit = forms.ChoiceField(choices=units.PPT_UNIT_CHOICES, required=False, label="Unit")

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("ppt") is not None and not cleaned.get("ppt_unit"):
            self.add_error("ppt_unit", "Choose the unit of the pressure pain threshold.")
        return cleaned


class ConsentForm(VersionedForm):
    consented_by = forms.CharField(max_length=120, initial="The patient", label="Who consented")
    consented_at = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    risks = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Risks discussed",
        choices=[(str(r), consent.RISKS[r].label) for r in consent.Risk],
    )


class TimeOutForm(VersionedForm):
    items = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Time-out: confirmed aloud",
        choices=[(str(i), check.label) for i, check in consent.TIME_OUT_ITEMS.items()],
    )


class WeightForm(VersionedForm):
    weight_kg = forms.DecimalField(
        label="Weight measured now (kg)",
        min_value=0.5,
        max_value=400,
        max_digits=5,
        decimal_places=1,
        required=False,
    )
    weight_override_reason = forms.CharField(
        label="Override reason (only if this weight puts the recorded sites over the maximum)",
        max_length=500,
        required=False,
    )


class SiteForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    muscle = forms.ChoiceField(choices=muscle_choices)
    side = forms.ChoiceField(choices=SIDE_CHOICES)
    agent = forms.ChoiceField(
        required=False, choices=[("", "—")] + [(a, a.title()) for a in dosing.AGENTS]
    )
    steroid = forms.ChoiceField(
        label="Steroid with it (optional)",
        required=False,
        choices=[("", "None")] + [(str(s), a.label) for s, a in steroids.STEROIDS.items()],
    )

    class Meta:
        model = InjectionSite
        fields = [
            "muscle",
            "side",
            "kind",
            "agent",
            "percent",
            "epinephrine",
            "preservative_free",
            "volume_ml",
            "needle_gauge",
            "needle_length_mm",
            "guidance",
            "aspiration",
            "twitch",
            "steroid",
            "steroid_mg",
            "high_risk_confirmed",
            "point_reason",
            "lot_number",
            "expiry",
            "override_reason",
        ]
        labels = {
            "percent": "Concentration (%)",
            "volume_ml": "Volume (mL)",
            "needle_length_mm": "Needle length (mm)",
            "steroid_mg": "Steroid dose (mg)",
            "override_reason": "Override reason (only to exceed a maximum or the steroid limit)",
            "preservative_free": "Preservative-free vial (single-dose, MPF: no methylparaben)",
            "high_risk_confirmed": "I confirm the risk of this high-risk site by landmark",
            "point_reason": "Reason to inject (no active trigger point found here)",
        }
        help_texts = {
            "high_risk_confirmed": "Only for a high-risk site (such as the suboccipitals or "
            "the chest wall) without ultrasound; ultrasound guidance is suggested.",
            "point_reason": "Only when the exam found no active trigger point in this muscle. "
            "Such a muscle is not billed as 20552/20553; a latent point is billed only with "
            "this reason.",
        }
        widgets = {
            "expiry": forms.DateInput(attrs={"type": "date"}),
            "override_reason": forms.TextInput(),
            "point_reason": forms.TextInput(),
        }

    def clean_volume_ml(self):
        volume = self.cleaned_data.get("volume_ml")
        if volume is not None and volume <= 0:
            raise forms.ValidationError("The volume must be more than 0 mL.")
        return volume


class ImmediateForm(VersionedForm):
    nrs_before = forms.IntegerField(
        label="Index pain just before (0–10)", min_value=0, max_value=10
    )
    nrs_after = forms.IntegerField(label="Index pain just after (0–10)", min_value=0, max_value=10)
    complications = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        choices=Procedure.Complication.choices,
    )
    action = forms.CharField(
        max_length=500, required=False, label="What was done", widget=forms.Textarea({"rows": 2})
    )


class EndForm(VersionedForm):
    reason = forms.ChoiceField(choices=Visit.EndReason.choices, label="Why does the visit end?")


class SignForm(VersionedForm):
    icd_codes = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, required=False, label="Confirm the diagnosis codes"
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        codes = self.fields["icd_codes"]
        assert isinstance(codes, forms.MultipleChoiceField)  # declared above
        codes.choices = [(s.code, f"{s.code} — {s.title}") for s in suggestions]


class AddendumForm(forms.Form):
    text = forms.CharField(max_length=4000, widget=forms.Textarea({"rows": 4}), label="Addendum")


__all__ = ["FibromyalgiaSurvey", "Intake"]
