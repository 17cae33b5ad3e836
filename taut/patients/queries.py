import re
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet

from taut.clinical import antithrombotics
from taut.patients.models import Allergy, Condition, Measurement, Medication, Patient

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_date_query(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def search(patients: QuerySet[Patient], text: str) -> QuerySet[Patient]:
    """Filter ``patients`` (already scoped by the gate) by name, MRN or date of birth."""
    text = text.strip()
    born = parse_date_query(text)
    if born:
        return patients.filter(date_of_birth=born)
    tokens = [token for token in re.split(r"[\s,]+", text) if token]
    by_name = Q()
    for token in tokens:
        by_name &= Q(family_name__icontains=token) | Q(given_name__icontains=token)
    return patients.filter(by_name | Q(mrn__istartswith=text))


def medications_for_patient(patient: Patient) -> list[Medication]:
    """The patient's medicines, each with ``thinner``: whether it counts as a blood thinner
    and why (recognised by name, or ticked for a medicine Taut does not know)."""
    medications = list(Medication.objects.filter(patient=patient))
    for medication in medications:
        status = antithrombotics.antithrombotic_status(
            medication.name, ticked=medication.antithrombotic
        )
        setattr(medication, "thinner", status)  # noqa: B010 (not a model field)
    return medications


def is_antithrombotic(medication: Medication) -> bool:
    """Whether ``medication`` counts as a blood thinner: recognised by name, or ticked for a
    medicine Taut does not know (``taut.clinical.antithrombotics``)."""
    return antithrombotics.antithrombotic_status(
        medication.name, ticked=medication.antithrombotic
    ).antithrombotic


def chart_for_patient(patient: Patient) -> dict[str, Any]:
    """What the chart shows beside demographics (clinical roles only). ``antithrombotics``
    are the current medicines that count as blood thinners (``medications_for_patient``)."""
    allergies = list(Allergy.objects.filter(patient=patient))
    medications = medications_for_patient(patient)
    return {
        "measurements": Measurement.objects.filter(patient=patient)[:5],
        "allergies": allergies,
        "active_allergies": [a for a in allergies if a.active],
        "medications": medications,
        "antithrombotics": [m for m in medications if m.active and is_antithrombotic(m)],
        "conditions": Condition.objects.filter(patient=patient),
    }


def latest_measurement(patient: Patient) -> Measurement | None:
    return Measurement.objects.filter(patient=patient).first()
