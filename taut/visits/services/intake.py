"""Intake, goals, the fibromyalgia survey, screening and the clinician's decision."""

from django.db import transaction

from taut.audit.models import Action
from taut.clinical import dosing, fibromyalgia, payer, screening
from taut.visits.models import FibromyalgiaSurvey, Goal, Intake, ScreeningDecision, Visit
from taut.visits.services.common import Blocked, audited, touch_visit

State = Visit.State
INTAKE_FIELDS = [
    "reason",
    "index_region",
    "index_side",
    "pain_months",
    "nrs_now",
    "nrs_average",
    "nrs_worst",
    "peg_pain",
    "peg_enjoyment",
    "peg_activity",
    "red_flags",
    "site_infection_or_broken_skin",
    "acute_muscle_trauma_at_site",
    "pregnant",
    "bleeding_disorder",
    "anticoagulant_or_antiplatelet",
    "anaesthetic_allergies",
    "needle_phobia",
    "steroid_planned",
    "diabetes_poorly_controlled",
    "conservative_care",
    "conservative_care_weeks",
    "previous_tpi",
    "previous_tpi_details",
    "previous_tpi_relief",
    "indications",
]


def intake_problems(data: dict) -> dict[str, str]:
    """Answers that contradict each other, by field (the form shows them; the service refuses)."""
    from taut.clinical import atlas

    problems = {}
    scores = [data.get(name) for name in ("nrs_now", "nrs_average", "nrs_worst")]
    if None not in scores and scores[2] < max(scores[0], scores[1]):
        problems["nrs_worst"] = "Worst pain cannot be lower than pain now or average."
    region = atlas.REGIONS.get(data.get("index_region") or "")
    if region is None:
        problems["index_region"] = "Choose where the main pain is from the list."
    elif region.midline and data.get("index_side"):
        problems["index_side"] = "This region is in the middle: leave the side empty."
    return problems


def screening_answers(intake: Intake, *, policy_id: str) -> screening.ScreeningAnswers:
    """The intake's answers as taut.clinical.screening expects them (None = not asked)."""
    weeks = intake.conservative_care_weeks
    policy = payer.POLICIES.get(policy_id)
    return screening.ScreeningAnswers(
        **screening.fold_red_flags(intake.red_flags),
        site_infection_or_broken_skin=intake.site_infection_or_broken_skin,
        acute_muscle_trauma_at_site=intake.acute_muscle_trauma_at_site,
        allergic_agents=frozenset(intake.anaesthetic_allergies),
        available_agents=frozenset(dosing.AGENTS),
        anticoagulant_or_antiplatelet=intake.anticoagulant_or_antiplatelet,
        bleeding_disorder=intake.bleeding_disorder,
        pregnant=intake.pregnant,
        needle_phobia=intake.needle_phobia,
        steroid_planned=intake.steroid_planned,
        diabetes_poorly_controlled=intake.diabetes_poorly_controlled,
        fibromyalgia_investigational=policy.fibromyalgia_investigational if policy else None,
        conservative_care_tried=None if weeks is None else weeks > 0,
        conservative_care_weeks=weeks,
        indications=frozenset(screening.Indication(i) for i in intake.indications),
    )


def save_intake(
    *, visit: Visit, version, data: dict, goals, by, request=None, source="staff", drawing=None
):
    """Save (or correct) the intake and its goals, and screen the patient again."""
    problems = intake_problems(data)
    if problems:
        raise Blocked(" ".join(problems.values()))
    intake = getattr(visit, "intake", None)
    created = intake is None
    intake = intake or Intake(visit=visit, recorded_by=by)
    for name in INTAKE_FIELDS:
        setattr(intake, name, data[name])
    intake.source = source
    policy_id = visit.patient.clinic.payer_policy
    verdict = screening.screen(screening_answers(intake, policy_id=policy_id))
    intake.payer_policy = policy_id
    intake.verdict_status = str(verdict.status)
    intake.verdict_reasons = [
        {
            "code": r.code,
            "kind": str(r.kind),
            "text": r.text,
            "source": r.source,
            "status": r.status,
        }
        for r in verdict.reasons
    ]
    intake.verdict_version = verdict.version
    intake.full_clean(exclude=["visit"])
    goals = [
        Goal(patient=visit.patient, visit=visit, text=text, baseline=level) for text, level in goals
    ]
    for goal in goals:
        goal.full_clean(exclude=["patient", "visit"])
    with transaction.atomic():
        state = State.INTAKE_DONE if visit.state == State.SCHEDULED else None
        touch_visit(
            visit=visit, version=version, by=by, request=request, change="intake", state=state
        )
        intake.save()
        if drawing is not None and drawing.patient_id == visit.patient_id:
            Visit.objects.filter(pk=visit.pk).update(drawing=drawing)
        Goal.objects.filter(visit=visit).delete()
        Goal.objects.bulk_create(goals)
        audited(
            action=Action.CREATE if created else Action.UPDATE,
            request=request,
            by=by,
            visit=visit,
            record=visit,
            object_type="intake",
            details={"verdict": intake.verdict_status},
        )
    visit.refresh_from_db(fields=["drawing", "version", "state"])
    return intake


def save_fm_survey(*, visit: Visit, version, data: dict, by, request=None):
    result = fibromyalgia.acr2016(
        data["painful_areas"],
        fatigue=data["fatigue"],
        unrefreshed=data["unrefreshed"],
        cognitive=data["cognitive"],
        headaches=data["headaches"],
        lower_abdominal=data["lower_abdominal"],
        depression=data["depression"],
        months=data["months"],
    )
    survey = getattr(visit, "fm_survey", None)
    survey = survey or FibromyalgiaSurvey(visit=visit)
    for name, value in data.items():
        setattr(survey, name, list(value) if name == "painful_areas" else value)
    survey.wpi, survey.sss = result.wpi, result.sss
    survey.generalized, survey.meets = bool(result.generalized), result.meets
    survey.rule_version, survey.recorded_by = result.version, by
    with transaction.atomic():
        touch_visit(
            visit=visit, version=version, by=by, request=request, change="fibromyalgia survey"
        )
        survey.save()
        audited(
            action=Action.CREATE,
            request=request,
            by=by,
            visit=visit,
            record=visit,
            object_type="fibromyalgia_survey",
            details={"meets": result.meets},
        )
    return survey, result


ALLOWED_DECISIONS = {
    "needs_review": {ScreeningDecision.Kind.PROCEED, ScreeningDecision.Kind.DO_NOT_PROCEED},
    "not_eligible": {ScreeningDecision.Kind.OVERRIDE, ScreeningDecision.Kind.DO_NOT_PROCEED},
}


def record_decision(*, visit: Visit, version, kind: str, reason: str, by, request=None):
    """A clinician's decision on a "needs review" or "not eligible" verdict, with a reason."""
    intake = getattr(visit, "intake", None)
    status = intake.verdict_status if intake else ""
    if kind not in ALLOWED_DECISIONS.get(status, set()):
        raise Blocked("There is no screening verdict that calls for this decision.")
    if len(reason.strip()) < 10:
        raise Blocked("Give the reason for the decision (at least 10 characters).")
    decision = ScreeningDecision(
        visit=visit, kind=kind, reason=reason.strip(), verdict_status=status, decided_by=by
    )
    with transaction.atomic():
        touch_visit(
            visit=visit, version=version, by=by, request=request, change="screening decision"
        )
        decision.save()
        audited(
            action=Action.CREATE,
            request=request,
            by=by,
            visit=visit,
            record=decision,
            object_type="screening_decision",
            details={"kind": kind, "verdict": status},
        )
    return decision


def procedure_gate(visit: Visit) -> tuple[bool, str]:
    """Whether screening lets a procedure be documented, and if not, why."""
    intake = getattr(visit, "intake", None)
    if intake is None:
        return False, "Complete the intake first: screening comes before any procedure."
    latest = visit.decisions.first()
    status = intake.verdict_status
    if latest and latest.verdict_status == status:
        if latest.kind == ScreeningDecision.Kind.DO_NOT_PROCEED:
            return False, "A clinician decided not to proceed today."
        return True, ""
    if status == "eligible":
        return True, ""
    if status == "pending":
        return False, "Screening is pending: answer the missing intake questions."
    if status == "needs_review":
        return False, "Screening needs review: a clinician must record a decision and reason."
    return False, "Not eligible: a clinician may override with a reason, or end the visit."
