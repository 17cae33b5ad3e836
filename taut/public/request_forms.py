"""The visitor's appointment request form (English or Spanish, by the page's language) and
the staff forms that turn a request into a booked visit or dismiss it."""

import re
from datetime import date
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from taut.clinical import patient_education
from taut.lib.bounds import VersionField
from taut.patients.models import Patient, Sex
from taut.public.models import AppointmentRequest
from taut.visits.booking_forms import ScheduleForm

SELFCHECK_SALT = "taut.public.selfcheck"
# The self-check's answers travel as a signed token (made by the self-check's result page);
# one older than a day is ignored.
SELFCHECK_MAX_AGE = 86400
TOKEN_MAX_LENGTH = 4000
PHONE = re.compile(r"^[0-9+()./ \-]{7,40}$")
DATE_INPUT = forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d")


def read_answers(token: str) -> tuple[dict[str, Any] | None, bool]:
    """The self-check's answers from their token, and whether a token was given but could not
    be read (bad, changed or more than a day old: then the answers are left out)."""
    if not token:
        return None, False
    try:
        answers = signing.loads(token, salt=SELFCHECK_SALT, max_age=SELFCHECK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return None, True
    try:
        patient_education.read_answers(answers)  # the self-check's own shape, or ValueError
    except ValueError:
        return None, True
    return answers, False


class RequestForm(forms.Form):
    """What a visitor sends: who they are, how to reach them, and their consent."""

    given_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    family_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE_INPUT)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("A phone number or an email address: we need at least one."),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language we should use"),
        choices=[("en", "English"), ("es", "Español")],
        widget=forms.RadioSelect,
    )
    preferred_time = forms.ChoiceField(
        label=_("Best time for a visit"),
        choices=[
            (AppointmentRequest.Time.MORNINGS, _("Mornings")),
            (AppointmentRequest.Time.AFTERNOONS, _("Afternoons")),
            (AppointmentRequest.Time.ANY, _("Any time")),
        ],
        widget=forms.RadioSelect,
        initial=AppointmentRequest.Time.ANY,
    )
    consent = forms.BooleanField(
        label=_("You may call or email me about an appointment."),
        error_messages={"required": _("Tick this box so that we may contact you.")},
    )
    answers = forms.CharField(required=False, max_length=TOKEN_MAX_LENGTH, widget=forms.HiddenInput)
    # The honeypot: hidden from people (and from screen readers), filled by robots.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today  # the clinic's day, for a date of birth (given on POST)

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if self.today is not None and born > self.today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born.year < 1900:
            raise forms.ValidationError(_("Check the year of your date of birth."))
        return born

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("Write the phone number with digits, for example 555 010 1234.")
            )
        return phone

    def clean_answers(self):
        answers, unread = read_answers(self.cleaned_data["answers"])
        self.answers_unread = unread
        return answers

    def clean(self):
        cleaned = super().clean() or {}
        reachable = cleaned.get("phone") or cleaned.get("email")
        if not (reachable or self.errors.get("phone") or self.errors.get("email")):
            self.add_error("phone", _("Give a phone number or an email address."))
        return cleaned

    def error_list(self) -> list[tuple[str, str]]:
        """Each field's first error with the input it belongs to, for the summary's links."""
        return [
            (self[name].auto_id, f"{self[name].label}: {errors[0]}")
            for name, errors in self.errors.items()
            if name in self.fields
        ]


# The staff side stays in English (issue 14).
NEW_PATIENT = "new"


class BookFromRequestForm(ScheduleForm):
    """Who the request is (a possible match chosen, or a new patient) and the visit to book."""

    version = VersionField()
    patient = forms.ChoiceField(label="Who is this?", widget=forms.RadioSelect)
    mrn = forms.CharField(
        label="MRN for the new patient", max_length=30, required=False,
        help_text="Only when registering a new patient.",
    )  # fmt: skip
    sex = forms.ChoiceField(
        label="Sex (new patient)",
        choices=[("", "—"), *Sex.choices],
        required=False,
        help_text="Only when registering a new patient: the request does not ask it.",
    )
    field_order = [
        "patient", "mrn", "sex", "kind", "scheduled_for", "clinician", "duration_minutes",
        "override", "version",
    ]  # fmt: skip

    def __init__(self, *args, matches: list[Patient], **kwargs):
        super().__init__(*args, **kwargs)
        self.matches = {str(p.public_id): p for p in matches}
        choices = [
            (key, f"The same person as {p.display_name}, born {p.date_of_birth:%-d %b %Y}, "
             f"MRN {p.mrn}")
            for key, p in self.matches.items()
        ]  # fmt: skip
        choices.append((NEW_PATIENT, "Register as a new patient"))
        patient = self.fields["patient"]
        assert isinstance(patient, forms.ChoiceField)  # declared above
        patient.choices = choices
        if not self.matches:
            self.initial.setdefault("patient", NEW_PATIENT)

    def chosen_patient(self) -> Patient | None:
        return self.matches.get(self.cleaned_data["patient"])


class DismissForm(forms.Form):
    prefix = "dismiss"
    version = VersionField()
    reason = forms.ChoiceField(
        label="Why dismiss it?", choices=[("", "—"), *AppointmentRequest.DismissReason.choices]
    )
