from django import forms

from taut.clinical import atlas, consent, dosing, fibromyalgia, site_checks, steroids
from taut.lib import units
from taut.lib.bounds import VersionField
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


class VersionedForm(forms.Form):
    version = VersionField()


def region_choices():
    return [
        ("", "Choose…"),
        *sorted(((r.id, r.label) for r in atlas.REGIONS.values()), key=lambda pair: pair[1]),
    ]


def _by_name(sites):
    return sorted(((s.id, s.name) for s in sites), key=lambda pair: pair[1])


def site_choices():
    """Every atlas site, grouped: the muscles, then the ligaments and tendons (with their
    kind, since their codes and exam differ)."""
    structures = sorted(atlas.STRUCTURES.values(), key=lambda s: s.name)
    return [
        ("", "Choose a muscle, ligament or tendon…"),
        ("Muscles", _by_name(atlas.MUSCLES.values())),
        (
            "Ligaments and tendons",
            [(s.id, f"{s.name} ({str(s.kind).replace('_', ' ')})") for s in structures],
        ),
    ]


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


# Midline only for the atlas's midline structures (``services.exam`` says so otherwise).
SIDE_CHOICES = [("", "Choose…"), *TriggerPointFinding.Side.choices]


def _answer(label, *, help_text=""):
    return yes_no(
        label, required=False, choices=YES_NO[1:], widget=YesNoButtons, help_text=help_text
    )


class FindingForm(VersionedForm):
    """One examined site. A muscle answers the trigger point questions (the Delphi cluster
    and recognition are required); a ligament or tendon answers its own (``STRUCTURE``:
    point tenderness is required). ``recognised`` is asked of both."""

    # The trigger point's required answers, and the ligament or tendon's own questions.
    CLUSTER = ("taut_band", "spot_tenderness", "referred_pain", "recognised")
    STRUCTURE = ("point_tenderness", "pain_on_stress", "swelling")
    REQUIRED = "This field is required."

    muscle = forms.ChoiceField(choices=site_choices, label="Muscle, ligament or tendon")
    side = forms.ChoiceField(
        choices=SIDE_CHOICES, help_text="Midline: only for a midline ligament."
    )
    location = forms.CharField(max_length=200, required=False, label="Where the point is")
    # Yes and No as buttons: one press each (issue 12); neither pressed means not examined.
    taut_band = _answer("Taut band")
    spot_tenderness = _answer("Hypersensitive spot (spot tenderness)")
    referred_pain = _answer("Referred pain")
    referred_to = forms.CharField(max_length=200, required=False, label="Referred where")
    recognised = _answer(
        "Patient recognises the pain as theirs",
        help_text="For a ligament or tendon: pressing it reproduces the patient's pain.",
    )
    point_tenderness = _answer(
        "Point tenderness",
        help_text="At the tendon's origin or insertion, or along the ligament.",
    )
    pain_on_stress = _answer("Pain on stretch or resisted movement")
    swelling = _answer("Swelling")
    twitch = yes_no(
        "Local twitch response", required=False, choices=YES_NO[1:], widget=YesNoButtons
    )
    jump_sign = yes_no("Jump sign", required=False, choices=YES_NO[1:], widget=YesNoButtons)
    limited_stretch = yes_no(
        "Painful limit to stretch", required=False, choices=YES_NO[1:], widget=YesNoButtons
    )
    ppt = forms.DecimalField(
        label="Pressure pain threshold", required=False, min_value=0, max_digits=6, decimal_places=2
    )
    ppt_unit = forms.ChoiceField(choices=units.PPT_UNIT_CHOICES, required=False, label="Unit")

    def groups(self):
        """The fields as the exam page shows them, as (key, title, fields): the site, then
        a muscle's trigger point questions, then a ligament or tendon's (each answers only
        its own; exam.js shows only the chosen site's group)."""
        names = {
            ("site", "Site"): ("muscle", "side", "location", "recognised"),
            ("muscle", "A muscle: the trigger point"): (
                "taut_band",
                "spot_tenderness",
                "referred_pain",
                "referred_to",
                "twitch",
                "jump_sign",
                "limited_stretch",
                "ppt",
                "ppt_unit",
            ),
            ("structure", "A ligament or tendon"): self.STRUCTURE,
        }
        return [
            (key, title, [self[name] for name in fields]) for (key, title), fields in names.items()
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        site = cleaned.get("muscle")
        if site in atlas.STRUCTURES:
            if cleaned.get("point_tenderness") is None:
                self.add_error("point_tenderness", self.REQUIRED)
        elif site:
            for name in self.CLUSTER:
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, self.REQUIRED)
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
    """The time-out's items, each ticked as it is confirmed aloud, or all at once with the
    "All confirmed aloud" button (``ALL``) once the team has said every one of them."""

    ALL = "all_confirmed"

    items = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Time-out: confirmed aloud",
        choices=[(str(i), check.label) for i, check in consent.TIME_OUT_ITEMS.items()],
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get(self.ALL) == "yes":
            every = [str(i) for i in consent.TIME_OUT_ITEMS]
            data = data.copy()
            if hasattr(data, "setlist"):  # a QueryDict, as posted
                data.setlist("items", every)
            else:
                data["items"] = every
        super().__init__(data, *args, **kwargs)


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
    version = VersionField()
    muscle = forms.ChoiceField(choices=site_choices, label="Muscle, ligament or tendon")
    side = forms.ChoiceField(
        choices=SIDE_CHOICES, help_text="Midline: only for a midline ligament."
    )
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
            "steroid_site_reason",
            "sclerosant",
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
            "sclerosant": "Prolotherapy: sclerosant given (optional)",
            "override_reason": "Override reason (only to exceed a maximum or the steroid limit)",
            "preservative_free": "Preservative-free vial (single-dose, MPF: no methylparaben)",
            "high_risk_confirmed": "I confirm the risk of this high-risk site by landmark",
            "point_reason": "Reason to inject (no active trigger point found here)",
        }
        help_texts = {
            "sclerosant": "Only for prolotherapy at a ligament or tendon: coded apart and not "
            "covered by Medicare (NCD 150.7).",
            "high_risk_confirmed": "Only for a high-risk site (such as the suboccipitals or "
            "the chest wall) without ultrasound; ultrasound guidance is suggested.",
            "point_reason": "Only when the exam found no active trigger point in this muscle. "
            "Such a muscle is not billed as 20552/20553; a latent point is billed only with "
            "this reason.",
            "steroid_site_reason": "Only for a steroid where the atlas says no steroid into "
            "the tendon: "
            + " or ".join(s.name for s in atlas.STRUCTURES.values() if s.steroid_avoid)
            + ". Say how it was given, for example "
            + site_checks.STEROID_REASON_EXAMPLE
            + ". Shown on the note beside the caution.",
        }
        widgets = {
            "expiry": forms.DateInput(attrs={"type": "date"}),
            "override_reason": forms.TextInput(),
            "point_reason": forms.TextInput(),
            "steroid_site_reason": forms.TextInput(),
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
