"""Encounter, Procedure, MedicationAdministration, DocumentReference and Provenance: a
visit and its injection session."""

from collections.abc import Callable, Iterator

from django.db.models import Prefetch

from taut.fhir.mapping import sessions
from taut.fhir.mapping.base import Json
from taut.fhir.scope import Scope
from taut.patients.models import Patient
from taut.visits.models import Addendum, InjectionSite, Visit

Loaded = Iterator[tuple[Patient | None, Json]]


def _visits(scope: Scope, *, sites: bool = False, addenda: bool = False):
    """(patient, visit) for the scope's visits, a chunk of patients at a time."""
    for chunk in scope.patients():
        by_pk = {p.pk: p for p in chunk}
        visits = (
            Visit.objects.filter(patient_id__in=by_pk)
            .select_related("clinician", "procedure", "note", "note__signed_by")
            .order_by("patient_id", "scheduled_for", "pk")
        )
        if sites:
            visits = visits.prefetch_related(
                Prefetch(
                    "procedure__sites",
                    queryset=InjectionSite.objects.select_related("recorded_by").order_by("pk"),
                )
            )
        if addenda:
            visits = visits.prefetch_related(
                Prefetch("note__addenda", queryset=Addendum.objects.select_related("signed_by"))
            )
        for visit in visits:
            yield by_pk[visit.patient_id], visit


def _parts(visit):
    procedure = getattr(visit, "procedure", None)
    note = getattr(visit, "note", None)
    return procedure, note


def encounters(scope: Scope) -> Loaded:
    for patient, visit in _visits(scope):
        yield (
            patient,
            sessions.encounter(
                visit, patient_id=patient.public_id, clinic_id=scope.clinic.public_id
            ),
        )


def procedures(scope: Scope) -> Loaded:
    for patient, visit in _visits(scope, sites=True):
        procedure, note = _parts(visit)
        if procedure is None:
            continue
        for resource in sessions.procedures(
            visit, procedure, list(procedure.sites.all()), note,
            patient_id=patient.public_id, clinic_id=scope.clinic.public_id,
        ):  # fmt: skip
            yield patient, resource


def administrations(scope: Scope) -> Loaded:
    for patient, visit in _visits(scope, sites=True):
        procedure, _ = _parts(visit)
        if procedure is None:
            continue
        for resource in sessions.administrations(
            visit, procedure, list(procedure.sites.all()), patient_id=patient.public_id
        ):
            yield patient, resource


def _signed(scope: Scope, build: Callable[..., list[Json]]) -> Loaded:
    for patient, visit in _visits(scope, addenda=True):
        _, note = _parts(visit)
        if note is None:
            continue
        for resource in build(patient, visit, note, list(note.addenda.all())):
            yield patient, resource


def documents(scope: Scope) -> Loaded:
    def build(patient, visit, note, addenda):
        url = f"{scope.base}/Binary/{visit.public_id}"
        return [
            sessions.document(
                visit,
                note,
                addenda,
                patient_id=patient.public_id,
                clinic_id=scope.clinic.public_id,
                pdf_url=url,
            )
        ]

    return _signed(scope, build)


def provenances(scope: Scope) -> Loaded:
    def build(patient, visit, note, addenda):
        return sessions.provenances(visit, note, addenda, clinic_id=scope.clinic.public_id)

    return _signed(scope, build)
