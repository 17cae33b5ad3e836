from datetime import date

from django import forms

from taut.clinical import antithrombotics
from taut.clinical.dosing import allergen_choices
from taut.lib.bounds import INTEGER_MAX, VersionField
from taut.patients.models import Allergy, Condition, Measurement, Medication, Patient

EARLIEST_BIRTH = date(1900, 1, 1)
# Which languages the patient's own pages, emails and handouts come in (taut.lib.languages).
PAGES_LANGUAGES_NOTE = (
    "The patient's portal pages, emails and aftercare handout come in English and Spanish; "
    "for any other language they are in English."
)


class PatientForm(forms.ModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Patient
        fields = [
            "given_name", "family_name", "date_of_birth", "sex", "mrn",
            "phone", "email", "address", "preferred_language",
        ]  # fmt: skip
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "address": forms.TextInput(),
        }
        labels = {"mrn": "MRN (medical record number)"}
        help_texts = {"preferred_language": PAGES_LANGUAGES_NOTE}

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        # A date after the clinic's today is refused by the service, which knows today.
        if born < EARLIEST_BIRTH:
            raise forms.ValidationError("Check the year: dates of birth before 1900 are refused.")
        return born

    def clean_mrn(self):
        mrn = self.cleaned_data["mrn"].strip()
        clash = Patient.objects.filter(clinic=self.clinic, mrn__iexact=mrn)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"MRN {mrn} already belongs to another patient here.")
        return mrn

    def validate_unique(self):
        """MRN uniqueness is checked per clinic in clean_mrn (the clinic isn't a field)."""


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["weight_kg", "height_cm", "measured_on"]
        widgets = {"measured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"weight_kg": "Weight (kg)", "height_cm": "Height (cm)"}


class AllergyForm(forms.ModelForm):
    anaesthetic = forms.ChoiceField(
        required=False,
        label="Local anaesthetic allergen",
        choices=[("", "Other (as written above)"), *allergen_choices()],
        help_text="Choose the agent, the class or the excipient if this is a local-anaesthetic "
        "allergy: it is screened. Brand names written above (Xylocaine, Marcaine…) are read "
        "for you; anything else that looks like a local anaesthetic waits for a clinician to "
        "map it, and blocks the procedure until then.",
    )

    class Meta:
        model = Allergy
        fields = ["agent", "anaesthetic", "reaction", "severity"]


class AllergyMapForm(forms.Form):
    """A clinician's mapping of a free-text allergy (``allergy_services.map_allergy``)."""

    NOT_ANAESTHETIC = "not_anaesthetic"
    mapping = forms.ChoiceField(
        label="This allergy is",
        choices=[
            ("", "Choose…"),
            *allergen_choices(),
            (NOT_ANAESTHETIC, "Not a local-anaesthetic allergy"),
        ],
    )


class MedicationForm(forms.ModelForm):
    class Meta:
        model = Medication
        fields = ["name", "dose", "antithrombotic"]
        labels = {"antithrombotic": "A blood thinner Taut does not know by name"}
        help_texts = {
            "antithrombotic": "Taut recognises common anticoagulants and antiplatelets by "
            "generic or brand name (apixaban/Eliquis, rivaroxaban/Xarelto, warfarin/Coumadin, "
            "clopidogrel/Plavix, aspirin …) whether or not this is ticked. Tick it only for a "
            "blood thinner it does not know. Source: "
            + antithrombotics.SOURCE
            + " ("
            + antithrombotics.STATUS
            + ")."
        }


class ConditionForm(forms.ModelForm):
    class Meta:
        model = Condition
        fields = ["name", "icd10"]


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Find a patient",
        max_length=100,
        help_text="Name, MRN or date of birth (YYYY-MM-DD or DD/MM/YYYY)",
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=INTEGER_MAX, widget=forms.HiddenInput
    )
