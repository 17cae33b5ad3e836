"""Intake, goals, the fibromyalgia survey, screening and the clinician's decision.

An intake is entered by staff (``save_intake``) or reported by the patient before the visit
(``record_patient_intake``, from the portal). Both are screened the same way; a patient's
report waits for staff to review it (``mark_intake_reviewed``, or saving the staff form).
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import dosing, fibromyalgia, payer, screening
from taut.clinical import intake as intake_rules
from taut.drawings.models import PainDrawing
from taut.drawings.services import Mark, record_drawing
from taut.lib.refusals import NotAllowed
from taut.patients.allergy_queries import chart_allergens
from taut.patients.queries import chart_for_patient
from taut.visits.models import FibromyalgiaSurvey, Goal, Intake, ScreeningDecision, Visit
from taut.visits.services.common import Blocked, require, touch_visit

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
    "diabetes",
    "diabetes_poorly_controlled",
    "conservative_care",
    "conservative_care_weeks",
    "previous_tpi",
    "previous_tpi_details",
    "previous_tpi_relief",
    "indications",
]


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
        indications=None
        if intake.indications is None
        else frozenset(screening.Indication(i) for i in intake.indications),
    )


def _screen(intake: Intake, visit: Visit) -> None:
    """Screen the intake's answers and keep the verdict, its reasons and the rule version."""
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


def _goals(visit: Visit, goals: Iterable[tuple[str, int]]) -> list[Goal]:
    made = [
        Goal(patient=visit.patient, visit=visit, text=text, baseline=level) for text, level in goals
    ]
    for goal in made:
        goal.full_clean(exclude=["patient", "visit"])
    return made


def save_intake(
    *,
    visit: Visit,
    version: int | str | None,
    data: dict[str, Any],
    goals: Iterable[tuple[str, int]],
    actor: Actor,
    drawing: PainDrawing | None = None,
) -> Intake:
    """Save (or correct) the intake and its goals, and screen the patient again.

    Saving over an intake the patient reported keeps it marked as the patient's report
    and counts as staff reviewing it. A blood thinner on the chart (recognised by name, or
    ticked) counts even if the answer says no: retire it on the chart if it was stopped."""
    require(actor, Need.NURSING_WRITE, "Your role does not record intakes.", visit=visit)
    if chart_for_patient(visit.patient)["antithrombotics"]:
        data = {**data, "anticoagulant_or_antiplatelet": True}
    problems = intake_rules.answer_problems(data)
    if problems:
        raise Blocked(" ".join(problems.values()))
    intake = getattr(visit, "intake", None)
    created = intake is None
    intake = intake or Intake(
        visit=visit, recorded_by=actor.user, recorded_at=actor.now, source=Intake.Source.STAFF
    )
    for name in INTAKE_FIELDS:
        setattr(intake, name, data.get(name))
    reviewed = intake.awaiting_review
    if reviewed:
        intake.reviewed_by, intake.reviewed_at = actor.user, actor.now
    _screen(intake, visit)
    intake.full_clean(exclude=["visit"])
    new_goals = _goals(visit, goals)
    with transaction.atomic():
        state = State.INTAKE_DONE if visit.state == State.SCHEDULED else None
        touch_visit(visit=visit, version=version, actor=actor, change="intake", state=state)
        intake.save()
        if drawing is not None and drawing.patient_id == visit.patient_id:
            Visit.objects.filter(pk=visit.pk).update(drawing=drawing)
        Goal.objects.filter(visit=visit).delete()
        Goal.objects.bulk_create(new_goals)
        record_event(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            patient=visit.patient,
            obj=visit,
            object_type="intake",
            details={"verdict": intake.verdict_status, **({"reviewed": True} if reviewed else {})},
        )
    visit.refresh_from_db(fields=["drawing", "version", "state"])
    return intake


#: Questions a patient is not asked before the visit: the clinician assesses the indication
#: and decides on a steroid (left undecided, None, for the clinician: never a forced "no").
#: Red-flag questions without patient wording (examination findings) are added as
#: unanswered by ``record_patient_intake``.
NOT_ASKED_OF_PATIENTS = {"indications": None, "steroid_planned": None}


def record_patient_intake(
    *,
    visit: Visit,
    data: dict[str, Any],
    goals: Iterable[str],
    marks: Iterable[Mark],
    no_pain: bool,
    actor: Actor,
) -> Intake:
    """Save the intake and pain drawing a patient sent before the visit, in one go.

    ``data`` holds the patient's answers under the ``INTAKE_FIELDS`` names (the indication
    and whether a steroid is planned are not asked: see ``NOT_ASKED_OF_PATIENTS``); ``goals``
    are texts in the patient's words; ``marks``/``no_pain`` are the drawing. The intake is
    stored with ``source=patient`` and screened as ``save_intake`` screens it, so red flags
    found on examination and the indication stay unanswered and the verdict is pending until
    staff review it. What the chart already knows is kept: an anaesthetic allergy or an
    antithrombotic on the chart counts even if the patient did not mention it. The drawing
    is recorded with ``source=patient`` and attached to the visit. ``actor`` is the patient
    in the portal. Refused, with nothing saved, if the visit already has an intake or is
    closed, or if the answers contradict each other.
    """
    if actor.patient_id != visit.patient_id:
        raise NotAllowed("A patient reports their own intake only.")
    if getattr(visit, "intake", None) is not None:
        raise Blocked("This visit already has an intake.")
    data = {**data, **NOT_ASKED_OF_PATIENTS}
    # Patients are asked only whether their diabetes is hard to control: "yes" means diabetes.
    data.setdefault("diabetes", True if data.get("diabetes_poorly_controlled") else None)
    unasked = {q.id: None for questions in screening.RED_FLAG_SETS.values() for q in questions}
    data["red_flags"] = {**unasked, **data.get("red_flags", {})}
    chart = chart_for_patient(visit.patient)
    known = chart_allergens(visit.patient)
    data["anaesthetic_allergies"] = sorted(known | set(data.get("anaesthetic_allergies", ())))
    if chart["antithrombotics"]:
        data["anticoagulant_or_antiplatelet"] = True
    problems = intake_rules.answer_problems(data)
    if problems:
        raise Blocked(" ".join(problems.values()))
    intake = Intake(visit=visit, source=Intake.Source.PATIENT, recorded_at=actor.now)
    for name in INTAKE_FIELDS:
        setattr(intake, name, data.get(name))
    _screen(intake, visit)
    intake.full_clean(exclude=["visit"])
    new_goals = _goals(visit, [(text, -1) for text in goals])
    with transaction.atomic():
        state = State.INTAKE_DONE if visit.state == State.SCHEDULED else None
        touch_visit(
            visit=visit,
            version=visit.version,
            actor=actor,
            change="intake reported by the patient",
            state=state,
        )
        if Intake.objects.filter(visit=visit).exists():
            raise Blocked("This visit already has an intake.")
        try:
            drawing = record_drawing(
                patient=visit.patient,
                marks=marks,
                no_pain=no_pain,
                actor=actor,
            )
        except ValidationError as error:
            raise Blocked(" ".join(error.messages)) from error
        intake.save(force_insert=True)
        Visit.objects.filter(pk=visit.pk).update(drawing=drawing)
        Goal.objects.bulk_create(new_goals)
        record_event(
            actor=actor,
            action=Action.CREATE,
            patient=visit.patient,
            obj=visit,
            object_type="intake",
            details={"verdict": intake.verdict_status, "source": str(intake.source)},
        )
    visit.refresh_from_db(fields=["drawing", "version", "state"])
    return intake


def red_flags_reported(intake: Intake) -> bool:
    """Whether the intake's verdict names a red flag (S25, S26, S27): the patient should
    call the clinic rather than wait for the visit."""
    return any(r["code"].startswith("red_flag.") for r in intake.verdict_reasons)


def mark_intake_reviewed(*, visit: Visit, version: int | str | None, actor: Actor) -> Intake:
    """Record that staff have reviewed the intake the patient reported (audited).

    The answers are not changed (correct them with ``save_intake``, which also counts as a
    review). Refused if there is no patient report waiting for review."""
    require(actor, Need.NURSING_WRITE, "Your role does not review intakes.", visit=visit)
    intake: Intake | None = getattr(visit, "intake", None)
    if intake is None or not intake.awaiting_review:
        raise Blocked("There is no intake reported by the patient waiting for review.")
    intake.reviewed_by, intake.reviewed_at = actor.user, actor.now
    with transaction.atomic():
        touch_visit(visit=visit, version=version, actor=actor, change="intake reviewed")
        intake.save(update_fields=["reviewed_by", "reviewed_at"])
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=visit.patient,
            obj=visit,
            object_type="intake",
            details={"reviewed": True, "source": str(intake.source)},
        )
    return intake


def save_fm_survey(
    *, visit: Visit, version: int | str | None, data: dict[str, Any], actor: Actor
) -> tuple[FibromyalgiaSurvey, fibromyalgia.FMResult]:
    require(actor, Need.NURSING_WRITE, "Your role does not record the survey.", visit=visit)
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
    survey.rule_version, survey.recorded_by = result.version, actor.user
    survey.recorded_at = actor.now
    with transaction.atomic():
        touch_visit(visit=visit, version=version, actor=actor, change="fibromyalgia survey")
        survey.save()
        record_event(
            actor=actor,
            action=Action.CREATE,
            patient=visit.patient,
            obj=visit,
            object_type="fibromyalgia_survey",
            details={"meets": result.meets},
        )
    return survey, result


ALLOWED_DECISIONS = {
    "needs_review": {ScreeningDecision.Kind.PROCEED, ScreeningDecision.Kind.DO_NOT_PROCEED},
    "not_eligible": {ScreeningDecision.Kind.OVERRIDE, ScreeningDecision.Kind.DO_NOT_PROCEED},
}


def record_decision(
    *,
    visit: Visit,
    version: int | str | None,
    kind: str,
    reason: str,
    actor: Actor,
    named: Iterable[str] = (),
) -> ScreeningDecision:
    """A clinician's decision on a "needs review" or "not eligible" verdict, with a reason.

    The decision records the verdict's reasons it was made on (``covers``); it stands only
    while they are the verdict's reasons (``screening.decision_covers``). To go ahead over a
    red flag the clinician names each one (``named``: its reason codes)."""
    require(actor, Need.CLINICAL_WRITE, "Only a clinician decides on screening.", visit=visit)
    intake = getattr(visit, "intake", None)
    status = intake.verdict_status if intake else ""
    if kind not in ALLOWED_DECISIONS.get(status, set()):
        raise Blocked("There is no screening verdict that calls for this decision.")
    if len(reason.strip()) < 10:
        raise Blocked("Give the reason for the decision (at least 10 characters).")
    assert intake is not None  # a status that calls for a decision comes from an intake
    named = list(named)
    unnamed = screening.unnamed_red_flags(intake.verdict_reasons, named)
    if unnamed and kind != ScreeningDecision.Kind.DO_NOT_PROCEED:
        raise Blocked(
            "Name each red flag you have assessed before going ahead: "
            + " ".join(b.text for b in unnamed)
        )
    try:
        covers = screening.decision_basis(intake.verdict_reasons, named=named)
    except ValueError as error:
        raise Blocked(str(error)) from None
    decision = ScreeningDecision(
        visit=visit,
        kind=kind,
        reason=reason.strip(),
        verdict_status=status,
        covers=covers,
        verdict_version=intake.verdict_version,
        decided_by=actor.user,
        decided_at=actor.now,
    )
    with transaction.atomic():
        touch_visit(visit=visit, version=version, actor=actor, change="screening decision")
        decision.save()
        record_event(
            actor=actor,
            action=Action.CREATE,
            patient=visit.patient,
            obj=visit,
            object_type="screening_decision",
            details={"kind": kind, "verdict": status, "reasons_covered": len(covers)},
        )
    return decision
