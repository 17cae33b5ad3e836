"""Forms for the watch after the needle: the discharge and the LAST checklist steps."""

from datetime import datetime
from typing import Any

from django import forms

from taut.clinical import last
from taut.visits.forms import VersionedForm
from taut.visits.models import Procedure, Visit

VITAL_FIELDS = ("heart_rate", "systolic", "diastolic", "spo2")


def _vital(label: str, name: str) -> forms.IntegerField:
    low, high = last.VITAL_RANGES[name]
    return forms.IntegerField(label=label, required=False, min_value=low, max_value=high)


class DischargeForm(VersionedForm):
    discharged_at = forms.DateTimeField(
        label="Went home at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    heart_rate = _vital("Heart rate (beats/min)", "heart_rate")
    systolic = _vital("Blood pressure, systolic (mmHg)", "systolic")
    diastolic = _vital("Blood pressure, diastolic (mmHg)", "diastolic")
    spo2 = _vital("Oxygen saturation (%)", "spo2")
    symptoms = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Early signs of LAST at discharge (leave empty if none)",
        choices=[(str(s), s.label) for s in last.Symptom],
    )
    cut_short = forms.CharField(
        max_length=500,
        required=False,
        label="Why the watch was cut short (only if it was)",
        widget=forms.Textarea({"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        """The vital signs gathered as ``record_discharge`` takes them (``vitals``)."""
        data = super().clean() or {}
        data["vitals"] = {name: data.pop(name, None) for name in VITAL_FIELDS}
        return data


class LastStepsForm(VersionedForm):
    steps = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Checklist steps taken",
        choices=[(str(step), item.label) for step, item in last.CHECKLIST.items()],
    )


def observation_forms(visit: Visit, *, now: datetime) -> dict[str, forms.Form]:
    """The discharge and LAST-steps forms as the procedure page first shows them: the
    discharge at ``now`` (on the clinic's clock), or as recorded."""
    version = {"version": visit.version}
    procedure: Procedure | None = getattr(visit, "procedure", None)
    at = procedure.discharged_at if procedure and procedure.discharged_at else now
    discharge: dict[str, Any] = {
        **version,
        "discharged_at": at.astimezone(now.tzinfo).strftime("%Y-%m-%dT%H:%M"),
    }
    steps: dict[str, Any] = {**version}
    if procedure is not None:
        if procedure.discharged_at or procedure.observation_cut_short:
            discharge.update(procedure.discharge_vitals or {})
            discharge["symptoms"] = procedure.discharge_symptoms
            discharge["cut_short"] = procedure.observation_cut_short
        steps["steps"] = procedure.last_steps
    return {
        "discharge": DischargeForm(initial=discharge),
        "last_steps": LastStepsForm(initial=steps),
    }
