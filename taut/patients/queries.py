import re
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet

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


def chart_for_patient(patient: Patient) -> dict[str, Any]:
    """What the chart shows beside demographics (clinical roles only)."""
    allergies = list(Allergy.objects.filter(patient=patient))
    medications = list(Medication.objects.filter(patient=patient))
    return {
        "measurements": Measurement.objects.filter(patient=patient)[:5],
        "allergies": allergies,
        "active_allergies": [a for a in allergies if a.active],
        "medications": medications,
        "antithrombotics": [m for m in medications if m.active and m.antithrombotic],
        "conditions": Condition.objects.filter(patient=patient),
    }


def latest_measurement(patient: Patient) -> Measurement | None:
    return Measurement.objects.filter(patient=patient).first()
