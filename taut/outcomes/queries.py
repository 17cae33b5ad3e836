"""A patient's outcomes, computed with taut.clinical.outcomes from intakes and check-ins,
each session's PEG function evidence and the clinician's reading of it, the next-step
advice, the clinician's decisions, and the clinic's decisions that are due."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Prefetch, QuerySet

from taut.accounts.models import Clinic
from taut.aftercare.models import CheckIn
from taut.clinical import outcomes, payer, relief_evidence, schedule
from taut.outcomes.models import FunctionReading, NextStepDecision, NextStepDue
from taut.patients.models import Patient
from taut.visits import queries as visits
from taut.visits.models import Goal, InjectionSite, Note, Visit


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
    sites: tuple[InjectionSite, ...] = ()  # the procedure's injection sites
    checkins: tuple[CheckIn, ...] = ()  # the session's check-ins, answered or not
    goals: tuple[Goal, ...] = ()  # the goals set at the session's intake

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
    """Signed visits with what a ``Session`` is made of. The related rows are prefetched
    into plain lists (``to_attr``, read by ``_prefetched``): Django otherwise builds a
    filtered queryset per visit and relation to hold them, which cost more than the
    queries on the worklist's "Next step due" page (decision 0017)."""
    readings = FunctionReading.objects.select_related("recorded_by").order_by("-recorded_at", "-id")
    return (
        Visit.objects.filter(state=Visit.State.SIGNED)
        .select_related("intake", "procedure", "note", "patient__clinic")
        .prefetch_related(
            Prefetch("procedure__sites", to_attr="session_sites"),
            Prefetch("checkins", to_attr="session_checkins"),
            Prefetch("goals", to_attr="session_goals"),
            Prefetch("function_readings", readings, to_attr="session_readings"),
        )
        .order_by("scheduled_for", "id")
    )


def _prefetched(record: Any, name: str) -> list[Any]:
    """A list ``_signed_visits`` prefetched onto ``record`` (an error, not a query, if the
    record was read some other way)."""
    found: list[Any] = getattr(record, name)
    return found


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
    sites = _prefetched(procedure, "session_sites")
    checkins = _prefetched(visit, "session_checkins")
    done = [c for c in checkins if c.completed_at and c.nrs is not None]
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
            for c in checkins
            if c.completed_at and c.peg_enjoyment is not None and c.peg_activity is not None
        ],
        percent=visit.patient.clinic.function_percent,
        min_points=visit.patient.clinic.function_min_points,
    )
    return Session(
        visit=visit,
        day=day,
        # Every site's name: muscles, ligaments and tendons alike.
        muscles=tuple(dict.fromkeys(visits.muscle_name(s.muscle) for s in sites)),
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
        readings=tuple(_prefetched(visit, "session_readings")),
        sites=tuple(sites),
        checkins=tuple(checkins),
        goals=tuple(_prefetched(visit, "session_goals")),
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


def _outcome_facts_sql() -> str:
    """The statement behind ``outcome_facts``: three aggregates, one row, plain SQL that
    SQLite and PostgreSQL both run. Written out because the ORM spelling (six correlated
    subqueries annotated onto the patient) took about 5 ms to compile per download, ten
    times what the database spends on it (docs/decisions/0019-pdfs-rendered-once.md)."""
    visit, note = Visit._meta.db_table, Note._meta.db_table
    checkin, reading = CheckIn._meta.db_table, FunctionReading._meta.db_table
    # Table names from the models, values as parameters.
    return (
        "SELECT s.n, s.last, c.n, c.last, r.n, r.last FROM "  # noqa: S608
        f"(SELECT COUNT(*) AS n, MAX(note.signed_at) AS last FROM {visit} visit "
        f"INNER JOIN {note} note ON note.visit_id = visit.id WHERE visit.patient_id = %s) s, "
        f"(SELECT COUNT(*) AS n, MAX(completed_at) AS last FROM {checkin} "
        "WHERE patient_id = %s AND completed_at IS NOT NULL) c, "
        f"(SELECT COUNT(*) AS n, MAX(id) AS last FROM {reading} WHERE patient_id = %s) r"
    )


def _fact(value: Any) -> str:
    """One fact as the fingerprint spells it: ``None`` for a count of nothing, a stamp as
    an aware UTC datetime (SQLite hands back its stored text), so a PDF stored before the
    statement was written out keeps its fingerprint."""
    if value == 0:
        return "None"
    if isinstance(value, str):
        value = datetime.fromisoformat(value).replace(tzinfo=UTC)  # stored in UTC
    return str(value)


def outcome_facts(patient: Patient) -> list[Any]:
    """What the patient's outcomes on paper (the summary, a note's appendix) are computed
    from, as counts and latest stamps that change whenever a session is signed, a check-in
    answered or a reading of function recorded (so a stored PDF made before then is not
    served), in one query: signed sessions and the latest signing, answered check-ins and
    the latest answer, function readings and the latest one's id."""
    with connection.cursor() as cursor:
        cursor.execute(_outcome_facts_sql(), [patient.pk] * 3)
        row = cursor.fetchone()
    return [_fact(value) for value in row]


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
        # The TPI LCDs' repeat rules read muscles and pass over ligaments and tendons (a
        # session of those only is no TPI session): given every site, it is still a record.
        sites=frozenset(site.muscle for site in s.sites),
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


def _treatment_history(sessions: Sequence[Session]) -> payer.TreatmentHistory | None:
    """The sessions as the payer rules read them, with the repeat planned on the last
    session's muscles (None: no session with a baseline yet)."""
    records = _payer_records(sessions)
    if not records:
        return None
    intake = getattr(sessions[-1].visit, "intake", None)
    weeks = intake.conservative_care_weeks if intake else None
    planned = payer.PlannedSession(
        sites=records[-1].sites,
        conservative_programme_active=None if weeks is None else weeks > 0,
    )
    return payer.TreatmentHistory(sessions=tuple(records), planned=planned)


def next_step_for(
    patient: Patient, sessions: Sequence[Session], *, today: date
) -> schedule.Advice | None:
    """taut.clinical.schedule.next_step for the patient's signed sessions, with the clinic's
    payer policy and the clinician's current reading of function after each session; a
    repeat is planned on the last session's muscles. None before a session."""
    history = _treatment_history(sessions)
    if history is None:
        return None
    return schedule.next_step(
        history,
        tuple(goal.text for goal in sessions[-1].goals),
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


def latest_decision(patient: Patient) -> NextStepDecision | None:
    """The patient's current next-step decision: the one no later decision follows."""
    return NextStepDecision.objects.filter(patient=patient, followed_by__isnull=True).first()


def _decided(decision: NextStepDecision | None, last: Session) -> bool:
    return decision is not None and decision.visit_id == last.visit.pk


def _plan_of(session: Session) -> schedule.FollowupPlan:
    """The follow-up plan the session was signed under: its own check-ins' days (the
    clinic may have changed its plan since), else the clinic's current plan."""
    days = sorted(c.offset_days for c in session.checkins)
    return schedule.plan_from_days(days) if days else session.visit.patient.clinic.plan()


def due_from_for(
    patient: Patient, sessions: Sequence[Session], decision: NextStepDecision | None
) -> date | None:
    """``schedule.next_step_due_from`` for the patient's signed sessions (oldest first) and
    current decision, with the clinic's policies, as the worklist reads them: the first day
    a decision is due, or None (no session with a baseline, or not until a fact changes)."""
    history = _treatment_history(sessions)
    if history is None:
        return None
    last = sessions[-1]
    decided = _decided(decision, last)
    return schedule.next_step_due_from(
        history,
        last_session=last.day,
        decided=decided,
        review_on=decision.review_on if decided and decision is not None else None,
        plan=_plan_of(last),
        policy=patient.clinic.payer_policy,
        reconsider_after=patient.clinic.reconsider_after,
    )


def sessions_by_patient(patients: Sequence[Patient]) -> dict[int, list[Session]]:
    """``sessions_for_patient`` of each of ``patients`` (by id; [] for none), in a constant
    number of queries however many patients: for recomputing a clinic in chunks."""
    by_id = {p.pk: p for p in patients}
    sessions: dict[int, list[Session]] = {pk: [] for pk in by_id}
    for visit in _signed_visits().filter(patient__in=list(by_id)):
        visit.patient = by_id[visit.patient_id]
        sessions[visit.patient_id].append(_session(visit))
    return sessions


def due_from_by_patient(
    patients: Sequence[Patient], sessions: dict[int, list[Session]]
) -> dict[int, tuple[date | None, Visit | None]]:
    """``due_from_for`` and the last session of each of ``patients`` (by id)."""
    by_id = {p.pk: p for p in patients}
    latest = {
        d.patient_id: d
        for d in NextStepDecision.objects.filter(patient__in=list(by_id), followed_by__isnull=True)
    }
    return {
        pk: (
            due_from_for(patient, sessions[pk], latest.get(pk)) if sessions[pk] else None,
            sessions[pk][-1].visit if sessions[pk] else None,
        )
        for pk, patient in by_id.items()
    }


@dataclass(frozen=True)
class DueRow:
    patient: Patient
    last_session: date
    advice: schedule.Advice
    advice_label: str
    due: schedule.Due
    due_from: date  # the stored first day it was due (``NextStepDue``)
    decision: NextStepDecision | None  # the latest, whichever session it follows


def _due_stored(clinic: Clinic, *, today: date) -> QuerySet[NextStepDue]:
    """The clinic's stored due dates on or before ``today``, longest due first, then by
    name: read from the (clinic, due_from) index."""
    return (
        NextStepDue.objects.filter(clinic=clinic, due_from__lte=today)
        .select_related("patient__clinic")
        .order_by("due_from", "patient_id")
    )


def _due_rows(stored: Sequence[NextStepDue], *, today: date) -> list[DueRow]:
    """The advice and why a decision is due, computed for the ``stored`` rows only (one
    page): a constant number of queries, however many rows."""
    patients = {row.patient_id: row.patient for row in stored}
    visits = _signed_visits().filter(patient__in=list(patients))
    sessions: dict[int, list[Session]] = {}
    for visit in visits:
        visit.patient = patients[visit.patient_id]
        sessions.setdefault(visit.patient_id, []).append(_session(visit))
    latest = {
        d.patient_id: d
        for d in NextStepDecision.objects.filter(
            patient__in=list(patients), followed_by__isnull=True
        ).select_related("decided_by")
    }
    rows = []
    for row in stored:
        history = sessions.get(row.patient_id)
        advice = next_step_for(row.patient, history, today=today) if history else None
        if history is None or advice is None or row.due_from is None:
            continue  # stale: a session was deleted since; refresh_next_step_due mends it
        last = history[-1]
        decision = latest.get(row.patient_id)
        decided = _decided(decision, last)
        due = schedule.next_step_due(
            last_session=last.day,
            action=advice.action,
            today=today,
            decided=decided,
            review_on=decision.review_on if decided and decision is not None else None,
            plan=_plan_of(last),
        )
        label = ACTION_LABELS[str(advice.action)]
        rows.append(DueRow(row.patient, last.day, advice, label, due, row.due_from, decision))
    return rows


def due_page_for_clinic(clinic: Clinic, *, today: date, number: Any, per_page: int) -> Page[DueRow]:
    """Page ``number`` of the clinic's patients whose next-step decision is due on ``today``
    (the stored ``NextStepDue.due_from`` on or before it), longest due first, then in the
    order the patients were registered: the order of the index (clinic, due_from, patient),
    so a page is read from the index, not sorted from every due patient;
    its ``object_list`` holds ``DueRow``s with the advice computed for that page alone. A
    constant number of queries, however many patients."""
    page = Paginator(_due_stored(clinic, today=today), per_page).get_page(number)
    rows = _due_rows(list(page.object_list), today=today)
    return Page(rows, page.number, cast("Paginator[DueRow]", page.paginator))


def due_for_clinic(clinic: Clinic, *, today: date) -> list[DueRow]:
    """Every patient of the clinic whose next-step decision is due on ``today`` (all pages of
    ``due_page_for_clinic``), in its order."""
    return _due_rows(list(_due_stored(clinic, today=today)), today=today)
