"""The schedule's forms: book, move, cancel, arrival, and the schedule's filters."""

import contextlib
from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from taut.accounts.models import User
from taut.accounts.roles import Role
from taut.lib.bounds import VersionField
from taut.visits.models import Visit
from taut.visits.models.visit import KIND_MINUTES

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def clinicians_of(clinic):
    return User.objects.filter(clinic=clinic, role=Role.CLINICIAN, is_active=True).order_by(
        "last_name", "first_name"
    )


def slot_initial(clinic, user, *, at: str, clinician: str | None) -> dict[str, Any]:
    """The booking form's start: the slot's time (``at``, ISO) and clinician (a public id)
    when booking from the schedule, else the booking clinician themself."""
    initial: dict[str, Any] = {"clinician": user if user.role == Role.CLINICIAN else None}
    with contextlib.suppress(ValueError):
        when = datetime.fromisoformat(at).astimezone(clinic.zone())
        initial["scheduled_for"] = when.replace(tzinfo=None)
    with contextlib.suppress(ValidationError, ValueError):
        chosen = clinicians_of(clinic).filter(public_id=clinician).first() if clinician else None
        if chosen is not None:
            initial["clinician"] = chosen
    return initial


def _kind_help() -> str:
    lengths = ", ".join(f"{Visit.Kind(k).label} {m} min" for k, m in KIND_MINUTES.items())
    return f"Usual lengths: {lengths}."


class ClinicianChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class SlotFields(forms.Form):
    scheduled_for = forms.DateTimeField(label="When", widget=WHEN)
    clinician = ClinicianChoice(queryset=User.objects.none(), required=False, empty_label="—")
    override = forms.BooleanField(
        label="Book anyway (double-book the clinician on purpose)",
        required=False,
        help_text="Only when the clinician has agreed: the double booking is recorded.",
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        clinician = self.fields["clinician"]
        assert isinstance(clinician, forms.ModelChoiceField)  # declared above
        clinician.queryset = clinicians_of(clinic)


class ScheduleForm(SlotFields):
    kind = forms.ChoiceField(label="Visit type", choices=Visit.Kind.choices, help_text=_kind_help())
    duration_minutes = forms.IntegerField(
        label="Length (minutes)",
        min_value=5,
        max_value=240,
        required=False,
        help_text="Leave empty for the visit type's usual length.",
    )
    field_order = ["kind", "scheduled_for", "clinician", "duration_minutes", "override"]


class MoveForm(SlotFields):
    prefix = "move"
    version = VersionField()
    duration_minutes = forms.IntegerField(label="Length (minutes)", min_value=5, max_value=240)
    field_order = ["scheduled_for", "clinician", "duration_minutes", "override"]


class CancelForm(forms.Form):
    prefix = "cancel"
    version = VersionField()
    reason = forms.CharField(
        label="Reason for cancelling",
        max_length=200,
        help_text="For example: patient called, unwell; clinician away.",
    )


class ArrivalForm(forms.Form):
    version = VersionField()
    arrival = forms.ChoiceField(choices=Visit.Arrival.choices)
    back = forms.CharField(required=False)  # "day" returns to the day list


class NoShowForm(forms.Form):
    version = VersionField()


class FindPatientForm(forms.Form):
    q = forms.CharField(
        label="Find the patient", max_length=100, help_text="Name, MRN or date of birth."
    )
