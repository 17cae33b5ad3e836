from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from taut.accounts.models import Clinic, User, plan_for_days
from taut.accounts.recovery import IDENTITY_CHECKS
from taut.accounts.roles import STAFF_ROLES
from taut.audit.models import Action
from taut.clinical import last, outcomes, payer, schedule
from taut.lib.bounds import VersionField
from taut.lib.periods import PeriodForm


class StaffCreateForm(forms.ModelForm):
    password = forms.CharField(
        label="Initial password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. Share it with them in person; they can change it.",
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "username", "email", "role"]

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        for name in ("first_name", "last_name", "email", "role"):
            self.fields[name].required = True
        self.fields["role"].choices = [("", "---------"), *STAFF_ROLES]  # type: ignore[attr-defined]

    def clean_password(self):
        password = self.cleaned_data["password"]
        candidate = User(
            username=self.cleaned_data.get("username", ""),
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
            email=self.cleaned_data.get("email", ""),
        )
        password_validation.validate_password(password, candidate)
        return password


class StaffUpdateForm(forms.Form):
    role = forms.ChoiceField(choices=STAFF_ROLES)
    active = forms.BooleanField(
        required=False, label="May sign in", help_text="Untick to end their access now."
    )


class AuditFilterForm(PeriodForm):
    start = forms.DateField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))
    action = forms.ChoiceField(required=False, choices=[("", "Any action"), *Action.choices])
    username = forms.CharField(required=False, label="Staff username", max_length=150)
    patient = forms.UUIDField(required=False, label="Patient ID")


class ClinicSettingsForm(forms.ModelForm):
    """The clinic settings a lead may change. Give it a fresh copy of the clinic (the
    model's own validation runs on it). Never saved itself: the view passes ``settings()``
    to ``services.update_clinic_settings``, which checks them again."""

    version = VersionField()
    followup_days = forms.CharField(
        label="Check-in days after each session",
        max_length=200,
        help_text="Whole days after the session, in order, separated by commas "
        "(Taut's default: {default}). Whole weeks are named as weeks (7 is Week 1).",
    )
    payer_policy = forms.ChoiceField(
        label="Payer policy for repeat sessions",
        help_text="The repeat-session checks the next-step advice and the signed note use.",
    )

    class Meta:
        model = Clinic
        fields = [
            "name", "phone", "email", "address", "time_zone", "reconsider_after",
            "payer_policy", "weight_window_days", "function_percent", "function_min_points",
            "portal_passwords", "emergency_number", "observation_minutes", "steroid_limit_mg",
            "opens_at", "closes_at", "slot_minutes",
            "require_lot_expiry", "public_page_on", "public_figures_on", "public_note_en",
            "public_note_es",
            "appointment_request_days", "structure_sites_per_session", "require_mfa",
        ]  # fmt: skip
        labels = {
            "name": "Clinic name",
            "email": "Clinic email",
            "time_zone": "Time zone",
            "reconsider_after": "Advise reconsidering after this many sessions without relief",
            "weight_window_days": "Weight is current for (days)",
            "portal_passwords": "Patients may set a portal password",
            "function_percent": "Function improved: PEG interference fell by at least (%)",
            "function_min_points": "… and by at least (points of 10)",
            "emergency_number": "Emergency number patients are told to call",
            "observation_minutes": "Watch after the last injection (minutes)",
            "steroid_limit_mg": "Steroid limit over 3 months (mg, methylprednisolone-equivalent)",
            "opens_at": "Opens at",
            "closes_at": "Closes at",
            "slot_minutes": "Schedule slot (minutes)",
            "require_lot_expiry": "Require the vial's lot number and expiry for every site",
            "public_page_on": "Show the public page about trigger point injections",
            "public_figures_on": "Show the clinic's own results on the public page",
            "public_note_en": "Local paragraph, English",
            "public_note_es": "Local paragraph, Spanish",
            "appointment_request_days": "Keep appointment requests for (days)",
            "structure_sites_per_session": "Ligament and tendon sites in one session, at most",
        }
        help_texts = {
            "email": "Alerts from check-ins (warning signs) are emailed here.",
            "phone": "Shown to patients in reminders and aftercare instructions.",
            "time_zone": "An IANA time zone, e.g. Europe/London or America/Chicago: staff "
            "pages, reminders, due days and portal links run on the clinic's clock. Leave it "
            "empty to use the server's default time zone.",
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "time_zone": forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "public_note_en": forms.Textarea(attrs={"rows": 4}),
            "public_note_es": forms.Textarea(attrs={"rows": 4}),
        }

    field_order = [
        "name", "phone", "email", "address", "time_zone", "followup_days",
        "reconsider_after", "payer_policy", "weight_window_days", "function_percent",
        "function_min_points", "portal_passwords", "emergency_number", "observation_minutes",
        "steroid_limit_mg", "opens_at", "closes_at", "slot_minutes",
        "require_lot_expiry", "public_page_on", "public_figures_on", "public_note_en",
        "public_note_es", "appointment_request_days", "structure_sites_per_session",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = ", ".join(str(d) for d in schedule.plan_days(schedule.DEFAULT_PLAN))
        self.fields["appointment_request_days"].help_text = (
            "Appointment requests from the public page not handled by then are deleted "
            f"(1 to 90 days). Empty: the server's default, {settings.APPOINTMENT_REQUEST_DAYS} "
            "days."
        )
        days = self.fields["followup_days"]
        days.help_text = days.help_text.format(default=default)
        policies = self.fields["payer_policy"]
        assert isinstance(policies, forms.ChoiceField)  # declared above
        policies.choices = [(p.id, p.name) for p in payer.POLICIES.values()]
        policy_note = (
            f"{schedule.CLINIC_POLICY_NOTE} Taut's default is {schedule.RECONSIDER_AFTER}."
        )
        self.fields["reconsider_after"].help_text = policy_note
        self.fields["function_percent"].help_text = (
            "What the Outcomes card suggests as improved function after a session, from the "
            "PEG's enjoyment and activity items. Unverified: Taut's defaults are "
            f"{outcomes.FUNCTION_PERCENT} % and {outcomes.FUNCTION_MIN_POINTS} point "
            f"({outcomes.FUNCTION_SOURCE}). It suggests; the clinician reads function."
        )
        watch = last.OBSERVATION
        self.fields["observation_minutes"].help_text = (
            f"{watch.onset} Taut's default is {watch.default_minutes} minutes "
            f"({watch.status}; {watch.source}). The note cannot be signed until the "
            "discharge is recorded or the reason the watch was cut short is given."
        )
        self.fields["structure_sites_per_session"].help_text = (
            "The clinic's own limit, not a Medicare rule: no payer policy Taut has read sets "
            "one for ligament and tendon sites (CPT 20550/20551), which the trigger point "
            "LCDs do not count. The signed note's payer checks show a session over it as not "
            "met; it warns, it does not stop the session. Empty: no limit."
        )
        for name in (
            "reconsider_after",
            "weight_window_days",
            "function_percent",
            "observation_minutes",
            "steroid_limit_mg",
            "structure_sites_per_session",
        ):
            column = Clinic._meta.get_field(name)
            assert isinstance(column, models.Field)  # a column of the clinic, not a relation
            for validator in column.validators:
                if isinstance(validator, MinValueValidator | MaxValueValidator):
                    key = "min" if isinstance(validator, MinValueValidator) else "max"
                    self.fields[name].widget.attrs[key] = validator.limit_value
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["followup_days"] = ", ".join(
                str(d) for d in schedule.plan_days(self.instance.plan())
            )

    def clean_followup_days(self):
        days = []
        for part in self.cleaned_data["followup_days"].replace(";", ",").split(","):
            text = part.strip()
            if not text:
                continue
            if not (text.isascii() and text.isdigit()):
                raise forms.ValidationError(f"“{text}” is not a whole number of days.")
            days.append(int(text))
        self.plan = plan_for_days(days)
        return days

    def shown_plan(self) -> tuple:
        """The plan and payer policy to describe: as entered when the days are valid
        (a preview: not saved yet), else the clinic's saved ones."""
        cleaned = getattr(self, "cleaned_data", {})
        plan = getattr(self, "plan", None) or self.instance.plan()
        return plan, cleaned.get("payer_policy") or self.instance.payer_policy

    def settings(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class IdentityCheckForm(forms.Form):
    """What a clinic lead confirms before removing a member's second factor."""

    identity_check = forms.ChoiceField(
        label="How you checked it is them",
        choices=[("", "Choose…"), *IDENTITY_CHECKS.items()],
        help_text="Never on the word of an email or an unknown phone number alone.",
    )
