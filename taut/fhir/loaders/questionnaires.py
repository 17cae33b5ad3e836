"""Questionnaire (Taut's definitions) and QuestionnaireResponse (intakes, check-ins)."""

from collections.abc import Iterator

from django.db.models import Prefetch

from taut.aftercare.models import CheckIn
from taut.fhir.mapping import questionnaires
from taut.fhir.mapping.base import Json
from taut.fhir.scope import Scope
from taut.patients.models import Patient
from taut.visits.models import Goal, Visit

Loaded = Iterator[tuple[Patient | None, Json]]


def definitions(scope: Scope) -> Loaded:
    """The intake and the check-in: the same for every clinic and patient."""
    yield None, questionnaires.intake_questionnaire()
    yield None, questionnaires.checkin_questionnaire()


def responses(scope: Scope) -> Loaded:
    for chunk in scope.patients():
        by_pk = {p.pk: p for p in chunk}
        visits = (
            Visit.objects.filter(patient_id__in=by_pk, intake__isnull=False)
            .select_related("intake", "intake__recorded_by")
            .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("id")))
            .order_by("patient_id", "scheduled_for", "pk")
        )
        for visit in visits:
            patient = by_pk[visit.patient_id]
            yield (
                patient,
                questionnaires.intake_response(
                    visit, visit.intake, list(visit.goals.all()), patient_id=patient.public_id
                ),
            )
        done = (
            CheckIn.objects.filter(patient_id__in=by_pk, completed_at__isnull=False)
            .select_related("recorded_by", "visit")
            .prefetch_related(Prefetch("visit__goals", queryset=Goal.objects.order_by("id")))
            .order_by("patient_id", "due_on", "pk")
        )
        for checkin in done:
            patient = by_pk[checkin.patient_id]
            found = questionnaires.checkin_response(
                checkin, list(checkin.visit.goals.all()), patient_id=patient.public_id,
                visit_id=checkin.visit.public_id,
            )  # fmt: skip
            if found is not None:
                yield patient, found
