"""Observation: weights, pain scores, the PEG and other answers of intakes and check-ins,
and trigger point findings. Per chunk of patients: a fixed number of queries (weights,
visits with their procedure, sites, intake and findings, completed check-ins)."""

from collections.abc import Iterator

from django.db.models import Prefetch

from taut.aftercare.models import CheckIn
from taut.fhir.mapping import observations
from taut.fhir.mapping.base import Json
from taut.fhir.scope import Scope
from taut.patients.models import Measurement, Patient
from taut.visits.models import Goal, InjectionSite, TriggerPointFinding, Visit

Loaded = Iterator[tuple[Patient | None, Json]]
GOALS = Prefetch("visit__goals", queryset=Goal.objects.order_by("id"))


def observations_(scope: Scope) -> Loaded:
    for chunk in scope.patients():
        by_pk = {p.pk: p for p in chunk}
        weighed = set()
        for entry in (
            Measurement.objects.filter(patient_id__in=by_pk)
            .select_related("recorded_by")
            .order_by("patient_id", "pk")
        ):
            weighed.add((entry.patient_id, entry.measured_on, entry.weight_kg))
            patient = by_pk[entry.patient_id]
            yield patient, observations.measurement(entry, patient_id=patient.public_id)
        yield from _visits(by_pk, weighed)
        yield from _checkins(by_pk)


def _visits(by_pk: dict[int, Patient], weighed: set) -> Loaded:
    visits = (
        Visit.objects.filter(patient_id__in=by_pk)
        .select_related("clinician", "procedure", "intake", "intake__recorded_by")
        .prefetch_related(
            Prefetch("procedure__sites", queryset=InjectionSite.objects.order_by("pk")),
            Prefetch(
                "findings",
                queryset=TriggerPointFinding.objects.select_related("recorded_by").order_by("pk"),
            ),
        )
        .order_by("patient_id", "scheduled_for", "pk")
    )
    for visit in visits:
        patient = by_pk[visit.patient_id]
        pid = patient.public_id
        intake = getattr(visit, "intake", None)
        if intake is not None:
            for resource in observations.intake_scores(visit, intake, patient_id=pid):
                yield patient, resource
        for finding in visit.findings.all():
            yield patient, observations.finding(visit, finding, patient_id=pid)
        procedure = getattr(visit, "procedure", None)
        if procedure is None:
            continue
        # The dosing weight is a chart weight (start_procedure takes or adds one): sent
        # again only when the chart no longer holds it.
        if (visit.patient_id, procedure.weight_measured_on, procedure.weight_kg) not in weighed:
            yield patient, observations.procedure_weight(visit, procedure, patient_id=pid)
        sites = list(procedure.sites.all())
        for resource in observations.procedure_pain(visit, procedure, sites, patient_id=pid):
            yield patient, resource


def _checkins(by_pk: dict[int, Patient]) -> Loaded:
    done = (
        CheckIn.objects.filter(patient_id__in=by_pk, completed_at__isnull=False)
        .select_related("recorded_by", "visit")
        .prefetch_related(GOALS)
        .order_by("patient_id", "due_on", "pk")
    )
    for checkin in done:
        patient = by_pk[checkin.patient_id]
        for resource in observations.checkin_scores(
            checkin, list(checkin.visit.goals.all()), patient_id=patient.public_id,
            visit_id=checkin.visit.public_id,
        ):  # fmt: skip
            yield patient, resource
