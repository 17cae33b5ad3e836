from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from taut.clinical import antithrombotics
from taut.lib.search import fold
from taut.patients.models import Allergy, Condition, Measurement, Medication, Patient

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_date_query(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


# Ordered by an expression no index serves, on purpose: ordered by the column itself, SQLite
# (without ANALYZE statistics) walks the clinic's whole search_name index to skip a sort
# instead of using the prefix indexes. The names are stored folded, so Lower changes nothing.
_BY_NAME = Lower("search_name")


def search(patients: QuerySet[Patient], text: str) -> QuerySet[Patient]:
    """Filter ``patients`` (already scoped by the gate) by name, MRN or date of birth, in
    the order of the folded names.

    A date finds that date of birth. Otherwise the first word typed is the start of the
    given or the family name (or the text is the start of the MRN), each a prefix match on
    an index (``taut.lib.search``); further words must each start a word of the name.
    Accents and case never matter: the names are stored folded and the text is folded too.
    """
    text = text.strip()
    born = parse_date_query(text)
    if born:
        return patients.filter(date_of_birth=born).order_by(_BY_NAME, "pk")
    found = Q()
    for mrn in dict.fromkeys((text, text.upper())):
        found |= Q(mrn__prefix=mrn)
    words = fold(text).split()
    if words:
        first, *rest = words
        narrowed = Q()
        for word in rest:
            narrowed &= Q(search_name__prefix=word) | Q(search_name__contains=f" {word}")
        # Every branch of the OR starts with a prefix its own index serves, the later words
        # only narrowing it: so SQLite answers the OR from the indexes (a "MULTI-INDEX OR")
        # and PostgreSQL with a BitmapOr, where (a OR b) AND (c OR d) reads the whole clinic.
        found |= Q(search_name__prefix=first) & narrowed
        found |= Q(search_given__prefix=first) & narrowed
    return patients.filter(found).order_by(_BY_NAME, "pk")


def load_records(patient: Patient) -> Patient:
    """Read ``patient``'s allergies and medicines once, for a page whose parts each ask for
    them (a visit page: its safety strip, the screening clearance, the allergy panel):
    ``allergies_for_patient`` and ``medications_for_patient`` then answer from these lists.
    Only for a patient read for one request that changes neither."""
    allergies, medications = allergies_for_patient(patient), medications_for_patient(patient)
    setattr(patient, "loaded_allergies", allergies)  # noqa: B010 (not a model field)
    setattr(patient, "loaded_medications", medications)  # noqa: B010
    return patient


def allergies_for_patient(patient: Patient) -> list[Allergy]:
    """The patient's allergies, active first (those ``load_records`` read, if it did)."""
    loaded: list[Allergy] | None = getattr(patient, "loaded_allergies", None)
    return list(Allergy.objects.filter(patient=patient)) if loaded is None else loaded


def medications_for_patient(patient: Patient) -> list[Medication]:
    """The patient's medicines, each with ``thinner``: whether it counts as a blood thinner
    and why (recognised by name, or ticked for a medicine Taut does not know); those
    ``load_records`` read, if it did."""
    loaded: list[Medication] | None = getattr(patient, "loaded_medications", None)
    if loaded is not None:
        return loaded
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
    allergies = allergies_for_patient(patient)
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
