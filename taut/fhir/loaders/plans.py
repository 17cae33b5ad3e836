"""Goal and CarePlan: the patient's goals with their GAS levels, each signed session's
aftercare, and the next-step decisions."""

from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Prefetch

from taut.aftercare.models import CheckIn
from taut.aftercare.queries import SessionFacts
from taut.clinical import aftercare, checkins
from taut.fhir.mapping import plans
from taut.fhir.mapping.base import Json
from taut.fhir.scope import Scope
from taut.outcomes.models import NextStepDecision
from taut.patients.models import Patient
from taut.visits.models import Goal, InjectionSite, Visit

Loaded = Iterator[tuple[Patient | None, Json]]
CHECKINS = Prefetch("checkins", queryset=CheckIn.objects.order_by("due_on", "pk"))


def goals(scope: Scope) -> Loaded:
    zone = scope.clinic.zone()
    for chunk in scope.patients():
        by_pk = {p.pk: p for p in chunk}
        visits = (
            Visit.objects.filter(
                patient_id__in=by_pk,
                pk__in=Goal.objects.filter(patient_id__in=by_pk).values("visit_id"),
            )
            .select_related("intake")
            .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("id")), CHECKINS)
            .order_by("patient_id", "scheduled_for", "pk")
        )
        for visit in visits:
            patient = by_pk[visit.patient_id]
            intake = getattr(visit, "intake", None)
            points = list(visit.checkins.all())
            due = next((c.due_on for c in points if c.offset_days >= checkins.GAS_FROM_DAY), None)
            done = [c for c in points if c.completed_at is not None]
            for position, goal in enumerate(visit.goals.all(), 1):
                answers = [
                    (c, level)
                    for c in done
                    if (level := (c.answers.get("gas") or {}).get(str(goal.pk))) in plans.GAS_LEVELS
                ]
                yield patient, plans.goal(
                    visit, goal, position, answers, patient_id=patient.public_id,
                    start=visit.scheduled_for.astimezone(zone).date(), due=due,
                    recorded=intake.recorded_at if intake else None,
                )  # fmt: skip


def _instructions(visit: Visit, clinic) -> aftercare.Instructions:
    """The handout as ``aftercare.queries.handout_for`` builds it, from prefetched rows."""
    procedure = getattr(visit, "procedure", None)
    sites = list(procedure.sites.all()) if procedure else []
    intake = getattr(visit, "intake", None)
    facts = SessionFacts(
        sites=tuple((s.muscle, s.side) for s in sites),
        agents=tuple(
            dict.fromkeys(
                s.agent for s in sites if s.kind == InjectionSite.Kind.ANAESTHETIC and s.agent
            )
        ),
        goals=(),
        steroid=any(s.steroid for s in sites),
        steroid_sites=tuple(dict.fromkeys(s.muscle for s in sites if s.steroid)),
        diabetes=bool(intake and (intake.diabetes or intake.diabetes_poorly_controlled)),
        blood_thinner=bool(intake and intake.anticoagulant_or_antiplatelet),
    )
    return aftercare.instructions(
        facts.sites, agents=facts.agents, clinic_name=clinic.name, clinic_phone=clinic.phone,
        emergency_number=clinic.emergency_number, steroid=facts.steroid,
        blood_thinner=facts.blood_thinner, diabetes=facts.diabetes,
        steroid_sites=facts.steroid_sites,
    )  # fmt: skip


def care_plans(scope: Scope) -> Loaded:
    for chunk in scope.patients():
        by_pk = {p.pk: p for p in chunk}
        signed = (
            Visit.objects.filter(patient_id__in=by_pk, note__isnull=False)
            .select_related("note", "note__signed_by", "procedure", "intake")
            .prefetch_related(
                Prefetch("procedure__sites", queryset=InjectionSite.objects.order_by("pk")),
                CHECKINS,
            )
            .order_by("patient_id", "scheduled_for", "pk")
        )
        for visit in signed:
            patient = by_pk[visit.patient_id]
            yield patient, plans.aftercare_plan(
                visit, visit.note, _instructions(visit, scope.clinic), list(visit.checkins.all()),
                patient_id=patient.public_id,
            )  # fmt: skip
        decisions = (
            NextStepDecision.objects.filter(patient_id__in=by_pk)
            .select_related("visit", "decided_by", "previous")
            .annotate(superseded=Exists(NextStepDecision.objects.filter(previous=OuterRef("pk"))))
            .order_by("patient_id", "decided_at", "pk")
        )
        for decision in decisions:
            patient = by_pk[decision.patient_id]
            yield patient, plans.decision_plan(
                decision, decision.visit, patient_id=patient.public_id,
                superseded=decision.superseded,
            )  # fmt: skip
