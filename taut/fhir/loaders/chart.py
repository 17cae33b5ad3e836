"""Condition, AllergyIntolerance and MedicationStatement: the chart's lists."""

from collections.abc import Callable, Iterator
from typing import Any

from taut.fhir.mapping import chart
from taut.fhir.mapping.base import Json
from taut.fhir.scope import Scope
from taut.patients.models import Allergy, Condition, Medication, Patient
from taut.visits.models import Visit

Loaded = Iterator[tuple[Patient | None, Json]]


def _entries(scope: Scope, model: Any, build: Callable[..., Json]) -> Loaded:
    """Each chart entry of ``model`` for the scope's patients: one query per chunk."""
    for chunk in scope.patients():
        yield from _chunk_entries({p.pk: p for p in chunk}, model, build)


def _chunk_entries(by_pk: dict, model: Any, build: Callable[..., Json]) -> Loaded:
    rows = (
        model.objects.filter(patient_id__in=by_pk)
        .select_related("recorded_by")
        .order_by("patient_id", "pk")
    )
    for entry in rows:
        patient = by_pk[entry.patient_id]
        yield patient, build(entry, patient_id=patient.public_id)


def conditions(scope: Scope) -> Loaded:
    """The chart's problems, then the diagnoses confirmed on each signed session."""
    for chunk in scope.patients():
        by_pk = {p.pk: p for p in chunk}
        yield from _chunk_entries(by_pk, Condition, chart.condition)
        signed = (
            Visit.objects.filter(patient_id__in=by_pk, note__isnull=False)
            .select_related("note", "note__signed_by")
            .order_by("patient_id", "scheduled_for", "pk")
        )
        for visit in signed:
            patient = by_pk[visit.patient_id]
            for resource in chart.encounter_diagnoses(
                visit, visit.note, patient_id=patient.public_id
            ):
                yield patient, resource


def allergies(scope: Scope) -> Loaded:
    return _entries(scope, Allergy, chart.allergy)


def medications(scope: Scope) -> Loaded:
    return _entries(scope, Medication, chart.medication_statement)
