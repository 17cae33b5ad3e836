"""Reads of the chart's allergies as local-anaesthetic allergens (``taut.clinical.dosing``)."""

from collections.abc import Iterable

from taut.clinical import dosing
from taut.patients.models import Allergy, Patient
from taut.patients.queries import allergies_for_patient


def chart_allergens(patient: Patient) -> set[str]:
    """The allergen codes of the patient's active allergies: the coded ones, and free text
    that names exactly one allergen ("Xylocaine"), even if it was saved before it was read."""
    return allergens_of(allergies_for_patient(patient))


def allergens_of(allergies: Iterable[Allergy]) -> set[str]:
    """The allergen codes of ``allergies`` already loaded (``chart_allergens`` without a
    query): inactive entries and those a clinician marked "not an anaesthetic" count not."""
    codes = set()
    for allergy in allergies:
        if not allergy.active or allergy.not_anaesthetic:
            continue
        code = allergy.anaesthetic or dosing.read_allergy_text(allergy.agent).code
        if code:
            codes.add(code)
    return codes


def unmapped_allergies(patient: Patient) -> list[tuple[Allergy, dosing.Reading]]:
    """Active free-text allergies that look like a local-anaesthetic allergy and that no
    clinician has mapped: each blocks a procedure until it is mapped."""
    found = []
    for allergy in allergies_for_patient(patient):
        if not allergy.active or allergy.anaesthetic or allergy.not_anaesthetic:
            continue
        reading = dosing.read_allergy_text(allergy.agent)
        if reading.needs_mapping:
            found.append((allergy, reading))
    return found


def unmapped_reason(patient: Patient) -> str:
    """Why a procedure is blocked by unmapped allergies, or "" when none is."""
    found = unmapped_allergies(patient)
    if not found:
        return ""
    names = ", ".join(f"“{allergy.agent}”" for allergy, _ in found)
    return (
        f"Allergy to map first: {names} looks like a local-anaesthetic allergy. A clinician "
        "must map it on the chart (to an agent, a class or an excipient, or “not a "
        "local-anaesthetic allergy”) before the procedure."
    )
