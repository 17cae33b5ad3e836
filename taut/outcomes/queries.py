"""A patient's outcomes, computed with taut.clinical.outcomes from intakes and check-ins,
each session's PEG function evidence and the clinician's reading of it, the next-step
advice, the clinician's decisions, and the clinic's decisions that are due."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from taut.accounts.models import Clinic
from taut.aftercare.models import CheckIn
from taut.clinical import atlas, outcomes, payer, relief_evidence, schedule
from taut.outcomes.models import FunctionReading, NextStepDecision
from taut.patients.models import Patient
from taut.visits import queries as visits
from taut.visits.models import Visit


@dataclass(frozen=True)
class Point:
    day: date
    nrs: int | None
    peg: float | None
    label: str


@dataclass(frozen=True)
class Session:
    visit: Visit
    day: date
    muscles: tuple[str, ...]
    agents: tuple[str, ...]
    baseline: int | None
    immediate_relief: int | None  # % relief from just before to just after
    followups: tuple[dict[str, Any], ...]  # label, day, nrs, relief %, IMMPACT category
    latest_category: str | None
    relief_days: int | None  # days relief stayed at or above 50 %
    gas_t: float | None
    function: outcomes.FunctionEvidence  # PEG interference, intake against follow-ups
    readings: tuple[FunctionReading, ...]  # the clinician's readings of function, newest first

    @property
    def reading(self) -> FunctionReading | None:
        """The current reading of function after this session (None: not read yet)."""
        return self.readings[0] if self.readings else None


def _relief(baseline: int | None, value: int | None) -> int | None:
    if baseline in (None, 0) or value is None:
        return None
    return round(outcomes.relief_percent(baseline, value))


def _peg(checkin: CheckIn) -> float | None:
    pain, enjoyment, activity = checkin.peg_pain, checkin.peg_enjoyment, checkin.peg_activity
    if pain is None or enjoyment is None or activity is None:
        return None
    return round(outcomes.peg(pain, enjoyment, activity), 1)


def _signed_visits() -> QuerySet[Visit]:
    return (
        Visit.objects.filter(state=Visit.State.SIGNED)
        .select_related("intake", "procedure", "patient__clinic")
        .prefetch_related(
            "procedure__sites",
            "checkins",
            "goals",
            Prefetch(
                "function_readings",
                FunctionReading.objects.select_related("recorded_by").order_by(
                    "-recorded_at", "-id"
                ),
            ),
        )
        .order_by("scheduled_for", "id")
    )


def _answered_on(visit: Visit, checkin: CheckIn) -> date:
    """The clinic's day a check-in was answered: a score is dated when it was obtained,
    not when it was due (the LCD's documentation note [S51])."""
    assert checkin.completed_at is not None
    return checkin.completed_at.astimezone(visit.patient.clinic.zone()).date()


def _session(visit: Visit) -> Session:
    day = visits.session_date(visit)
    # The same question as the check-ins' pain score (``relief_evidence``): pain right now.
    baseline = (
        getattr(visit.intake, relief_evidence.RELIEF_BASELINE) if hasattr(visit, "intake") else None
    )
    procedure = visit.procedure
    sites = list(procedure.sites.all())
    done = [c for c in visit.checkins.all() if c.completed_at and c.nrs is not None]
    followups: tuple[dict[str, Any], ...] = tuple(
        {
            "label": c.label,
            "day": _answered_on(visit, c),  # when answered, not when due
            "nrs": c.nrs,
            "relief": _relief(baseline, c.nrs),
            "category": str(outcomes.immpact_category(baseline, c.nrs))
            if baseline and c.nrs is not None
            else None,
        }
        for c in done
    )
    gas = next((c.answers.get("gas") for c in reversed(done) if c.answers.get("gas")), None)
    intake = getattr(visit, "intake", None)
    function = outcomes.function_evidence(
        session_date=day,
        baseline=(intake.peg_enjoyment, intake.peg_activity) if intake else None,
        followups=[
            (_answered_on(visit, c), c.peg_enjoyment, c.peg_activity)
            for c in visit.checkins.all()
            if c.completed_at and c.peg_enjoyment is not None and c.peg_activity is not None
        ],
        percent=visit.patient.clinic.function_percent,
        min_points=visit.patient.clinic.function_min_points,
    )
    return Session(
        visit=visit,
        day=day,
        muscles=tuple(dict.fromkeys(atlas.MUSCLES[s.muscle].name for s in sites)),
        agents=tuple(dict.fromkeys(s.agent or s.get_kind_display() for s in sites)),
        baseline=baseline,
        immediate_relief=_relief(procedure.nrs_before, procedure.nrs_after),
        followups=followups,
        latest_category=followups[-1]["category"] if followups else None,
        relief_days=outcomes.relief_duration_days(
            session_date=day,
            baseline=baseline,
            followups=[(f["day"], f["nrs"]) for f in followups],
        )
        if baseline and followups
        else None,
        gas_t=round(outcomes.gas_t_score(list(gas.values())), 1) if gas else None,
        function=function,
        readings=tuple(visit.function_readings.all()),
    )


def sessions_for_patient(patient: Patient) -> list[Session]:
    """Every signed session, oldest first, with its response at each follow-up."""
    return [_session(visit) for visit in _signed_visits().filter(patient=patient)]


def session_for_visit(visit: Visit) -> Session | None:
    """The signed session ``visit`` with its response and function evidence (None: the
    visit is not a signed session)."""
    found = _signed_visits().filter(pk=visit.pk).first()
    return _session(found) if found is not None else None


def evidence_fingerprint(evidence: outcomes.FunctionEvidence) -> str:
    """A digest of the function evidence as shown. The reading form carries it, so a
    reading made on figures that have changed since (a new check-in) is refused."""
    facts = json.dumps(evidence.as_dict(), sort_keys=True)
    return hashlib.sha256(facts.encode()).hexdigest()[:32]


def repeat_basis(sessions: Sequence[Session]) -> Session | None:
    """The session whose response the payer's repeat checks read: the latest with a
    baseline pain score (``next_step_for`` plans the repeat on its muscles)."""
    return next((s for s in reversed(sessions) if s.baseline), None)


def series_for_patient(patient: Patient, sessions: Iterable[Session]) -> list[Point]:
    """Pain (NRS) and PEG over time: each session's intake, then its completed check-ins."""
    points = []
    for session in sessions:
        intake = getattr(session.visit, "intake", None)
        if intake is not None:
            peg = round(outcomes.peg(intake.peg_pain, intake.peg_enjoyment, intake.peg_activity), 1)
            nrs = getattr(intake, relief_evidence.RELIEF_BASELINE)
            points.append(Point(session.day, nrs, peg, "Intake"))
    checkins = CheckIn.objects.filter(patient=patient, completed_at__isnull=False).order_by(
        "due_on"
    )
    zone = patient.clinic.zone()
    points += [
        Point(c.completed_at.astimezone(zone).date(), c.nrs, _peg(c), c.label)
        for c in checkins
        if c.completed_at is not None
    ]
    return sorted(points, key=lambda p: p.day)


ACTION_LABELS = dict(NextStepDecision.Advice.choices)


def _payer_record(s: Session) -> payer.SessionRecord:
    """A session as ``taut.clinical.payer`` reads it: the baseline and follow-ups are the same
    question on the same scale (``relief_evidence.RELIEF_BASELINE`` and ``RELIEF_FOLLOWUP``),
    each dated the clinic's day it was obtained; the clinician's reading of function."""
    intake = s.visit.intake
    followups = tuple((f["day"], f["nrs"]) for f in s.followups)
    return payer.SessionRecord(
        date=s.day,
        sites=frozenset(site.muscle for site in s.visit.procedure.sites.all()),
        baseline=s.baseline,
        baseline_date=intake.recorded_at.astimezone(s.visit.patient.clinic.zone()).date(),
        scale=relief_evidence.INTAKE_SCALES[relief_evidence.RELIEF_BASELINE],
        followups=tuple((when, nrs) for when, nrs in followups if when >= s.day),
        followup_scale=relief_evidence.CHECKIN_SCALES[relief_evidence.RELIEF_FOLLOWUP],
        functional_improvement=s.reading.improved if s.reading else None,
    )


def _payer_records(sessions: Iterable[Session]) -> list[payer.SessionRecord]:
    """Sessions as ``taut.clinical.payer`` reads them (``_payer_record``)."""
    return [_payer_record(s) for s in sessions if s.baseline]


def payer_sessions(patient: Patient, *, before: Visit) -> list[payer.SessionRecord]:
    """The patient's signed sessions before the visit ``before``, with their follow-up
    scores and function readings (``taut.workflows.notes.payer_history``), so the payer
    checks in a note signed for a repeat session read the same history as the next-step
    panel."""
    earlier = [
        s
        for s in sessions_for_patient(patient)
        if s.visit.pk != before.pk and s.visit.scheduled_for < before.scheduled_for
    ]
    return _payer_records(earlier)


def next_step_for(
    patient: Patient, sessions: Sequence[Session], *, today: date
) -> schedule.Advice | None:
    """taut.clinical.schedule.next_step for the patient's signed sessions, with the clinic's
    payer policy and the clinician's current reading of function after each session; a
    repeat is planned on the last session's muscles. None before a session."""
    records = _payer_records(sessions)
    if not records:
        return None
    last = sessions[-1].visit
    intake = getattr(last, "intake", None)
    weeks = intake.conservative_care_weeks if intake else None
    planned = payer.PlannedSession(
        sites=records[-1].sites,
        conservative_programme_active=None if weeks is None else weeks > 0,
    )
    return schedule.next_step(
        payer.TreatmentHistory(sessions=tuple(records), planned=planned),
        tuple(goal.text for goal in last.goals.all()),
        today=today,
        policy=patient.clinic.payer_policy,
        reconsider_after=patient.clinic.reconsider_after,
    )


def advice_fingerprint(advice: schedule.Advice, sessions: Sequence[Session]) -> str:
    """A digest of the advice as shown and the session it follows. The decision form
    carries it, so a decision made on advice that has changed since is refused."""
    facts = {
        "visit": str(sessions[-1].visit.public_id),
        "action": str(advice.action),
        "version": advice.version,
        "reasons": [r.text for r in advice.reasons],
        "checks": [[c.code, c.passed, c.text] for c in advice.repeat.checks]
        if advice.repeat
        else [],
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:32]


def eligibility(advice: schedule.Advice) -> str:
    """The payer decision in one word: yes, no (a check failed) or unknown (a check could
    not be made, or none was made because the advice did not reach the payer rules)."""
    decision = advice.repeat
    if decision is None:
        return NextStepDecision.Eligible.UNKNOWN
    if decision.eligible:
        return NextStepDecision.Eligible.YES
    if any(c.passed is False for c in decision.checks):
        return NextStepDecision.Eligible.NO
    return NextStepDecision.Eligible.UNKNOWN


def decisions_for_patient(patient: Patient) -> list[NextStepDecision]:
    """The patient's next-step decisions, newest first."""
    return list(
        NextStepDecision.objects.filter(patient=patient).select_related("decided_by", "visit")
    )


@dataclass(frozen=True)
class DueRow:
    patient: Patient
    last_session: date
    advice: schedule.Advice
    advice_label: str
    due: schedule.Due
    decision: NextStepDecision | None  # the latest, whichever session it follows


def _plan_of(visit: Visit) -> schedule.FollowupPlan:
    """The follow-up plan the session was signed under: its own check-ins' days (the
    clinic may have changed its plan since), else the clinic's current plan."""
    days = sorted(c.offset_days for c in visit.checkins.all())
    return schedule.plan_from_days(days) if days else visit.patient.clinic.plan()


def due_for_clinic(clinic: Clinic, *, today: date) -> list[DueRow]:
    """The clinic's patients whose next-step decision is due (``schedule.next_step_due``),
    longest due first. A constant number of queries, however many patients."""
    visits = _signed_visits().filter(patient__clinic=clinic).select_related("patient__clinic")
    sessions: dict[int, list[Session]] = {}
    for visit in visits:
        sessions.setdefault(visit.patient_id, []).append(_session(visit))
    latest = {
        d.patient_id: d
        for d in NextStepDecision.objects.filter(
            patient__clinic=clinic, followed_by__isnull=True
        ).select_related("decided_by")
    }
    rows = []
    for patient_id, history in sessions.items():
        last = history[-1]
        advice = next_step_for(last.visit.patient, history, today=today)
        if advice is None:
            continue
        decision = latest.get(patient_id)
        decided = decision is not None and decision.visit_id == last.visit.pk
        due = schedule.next_step_due(
            last_session=last.day,
            action=advice.action,
            today=today,
            decided=decided,
            review_on=decision.review_on if decided and decision is not None else None,
            plan=_plan_of(last.visit),
        )
        if due.due:
            label = ACTION_LABELS[str(advice.action)]
            rows.append(DueRow(last.visit.patient, last.day, advice, label, due, decision))
    return sorted(rows, key=lambda r: (r.due.since, r.patient.display_name, r.patient.pk))
