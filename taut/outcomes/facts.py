"""Each signed session as the clinic's analytics count it (``SessionOutcome``), and the
things it was (``SessionFacet``), computed from the patient's sessions with the rules of
``taut.clinical.outcomes`` and ``taut.clinical.payer``.

Derived data: ``services.refresh_next_step_due`` stores them in the transaction of every
write that changes their facts; nothing here is audited (the write that changed the facts
is). Definitions: docs/clinical-rules.md, "Clinic analytics".
"""

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime

from taut.clinical import outcomes, payer
from taut.outcomes import daycounts
from taut.outcomes.models import SessionCheckin, SessionFacet, SessionOutcome
from taut.outcomes.queries import Session, _payer_record
from taut.patients.models import Patient
from taut.visits.models import InjectionSite
from taut.visits.sites import is_muscle

RESPONSES = ("resp30_2w", "resp50_2w", "resp30_6w", "resp50_6w", "relief_days", "relief_ended")
SESSION_NUMBERS = 4  # the fourth and later sessions are counted together ("4+")


def _agent(site: InjectionSite) -> str:
    """What was put in: ``lidocaine 1%``, ``saline``, or ``dry_needling``."""
    if site.kind != InjectionSite.Kind.ANAESTHETIC:
        return str(site.kind)
    percent = f"{site.percent.normalize():f}" if site.percent is not None else "?"
    return f"{site.agent} {percent}%"


def _clinician_id(s: Session) -> int | None:
    """Who did the session: the clinician it was booked with, or, when it was booked with
    none (a walk-in, an open slot), the clinician who signed its note."""
    return s.visit.clinician_id or s.visit.note.signed_by_id


def _one_of(values: set[str], both: str) -> str:
    return values.pop() if len(values) == 1 else both


def _responses(s: Session) -> dict[str, object]:
    """The response columns: at 2 and 6 weeks, and when ≥ 50 % relief ended."""
    found: dict[str, object] = dict.fromkeys(RESPONSES)
    found["nrs_2w"] = found["nrs_6w"] = None
    if not s.baseline:
        return found
    followups = [(f["day"], f["nrs"]) for f in s.followups if f["day"] >= s.day]
    for window in outcomes.WINDOWS:
        response = outcomes.response_at(
            window, session_date=s.day, baseline=s.baseline, followups=followups
        )
        if response is not None:
            found[f"nrs_{window.key}"] = response.nrs
            found[f"resp30_{window.key}"] = response.at_least_30
            found[f"resp50_{window.key}"] = response.at_least_50
    end = outcomes.relief_end(session_date=s.day, baseline=s.baseline, followups=followups)
    if end is not None:
        found["relief_days"], found["relief_ended"] = end.days, end.ended
    return found


def _payer_met(s: Session, earlier: Sequence[Session], policy: str) -> bool | None:
    """Did this repeat session meet the clinic's payer policy on its day, from what was
    known then (``payer.repeat_eligibility``)? None for a first session."""
    if not earlier:
        return None
    records = [
        dataclasses.replace(
            record, followups=tuple((d, v) for d, v in record.followups if d <= s.day)
        )
        for record in (_payer_record(e) for e in earlier if e.baseline)
    ]
    intake = getattr(s.visit, "intake", None)
    weeks = intake.conservative_care_weeks if intake else None
    history = payer.TreatmentHistory(
        sessions=tuple(records),
        planned=payer.PlannedSession(
            sites=frozenset(site.muscle for site in s.sites),
            conservative_programme_active=None if weeks is None else weeks > 0,
        ),
    )
    return payer.repeat_eligibility(history, on=s.day, policy=policy).eligible


def _gas(s: Session) -> tuple[float | None, int | None]:
    """The latest GAS T-score after the session and its day."""
    for checkin in reversed(s.checkins):
        gas = checkin.answers.get("gas") if checkin.completed_at else None
        if gas:
            zone = s.visit.patient.clinic.zone()
            assert checkin.completed_at is not None
            day = (checkin.completed_at.astimezone(zone).date() - s.day).days
            return round(outcomes.gas_t_score(list(gas.values())), 1), max(day, 0)
    return None, None


def _facets(s: Session, number: int) -> list[tuple[str, str]]:
    D = SessionFacet.Dimension
    found: list[tuple[str, str]] = []
    for muscle in dict.fromkeys(site.muscle for site in s.sites):
        found.append((D.MUSCLE if is_muscle(muscle) else D.STRUCTURE, muscle))
    found += [(D.AGENT, agent) for agent in dict.fromkeys(_agent(site) for site in s.sites)]
    found.append((D.STEROID, "yes" if any(site.steroid for site in s.sites) else "no"))
    found.append((D.GUIDANCE, _guidance(s)))
    found.append((D.METHOD, _method(s)))
    intake = getattr(s.visit, "intake", None)
    for indication in dict.fromkeys((intake.indications or []) if intake else []):
        found.append((D.INDICATION, str(indication)))
    found.append((D.SESSION, str(number) if number < SESSION_NUMBERS else f"{SESSION_NUMBERS}+"))
    clinician_id = _clinician_id(s)
    if clinician_id is not None:
        found.append((D.CLINICIAN, str(clinician_id)))
    for kind in dict.fromkeys(s.visit.procedure.complications or []):
        if kind != "none":
            found.append((D.COMPLICATION, str(kind)))
    return found


def _guidance(s: Session) -> str:
    return _one_of({site.guidance for site in s.sites}, SessionOutcome.Guidance.BOTH)


def _method(s: Session) -> str:
    kinds: set[str] = {
        SessionOutcome.Method.DRY_NEEDLING
        if site.kind == InjectionSite.Kind.DRY_NEEDLING
        else SessionOutcome.Method.INJECTION
        for site in s.sites
    } or {SessionOutcome.Method.INJECTION}
    return _one_of(kinds, SessionOutcome.Method.BOTH)


def session_outcomes(
    patient: Patient, sessions: Sequence[Session], *, now: datetime
) -> list[tuple[SessionOutcome, list[SessionFacet], list[SessionCheckin]]]:
    """Each of the patient's signed sessions (oldest first) as unsaved rows."""
    rows = []
    policy = patient.clinic.payer_policy
    for index, s in enumerate(sessions):
        responses = _responses(s)
        gas_t, gas_day = _gas(s)
        complications = [c for c in (s.visit.procedure.complications or []) if c != "none"]
        outcome = SessionOutcome(
            visit=s.visit,
            patient=patient,
            clinic_id=patient.clinic_id,
            day=s.day,
            clinician_id=_clinician_id(s),
            session_number=index + 1,
            days_since_previous=(s.day - sessions[index - 1].day).days if index else None,
            baseline=s.baseline,
            guidance=_guidance(s) if s.sites else SessionOutcome.Guidance.LANDMARK,
            method=_method(s),
            steroid=any(site.steroid for site in s.sites),
            complications=len(complications),
            dose_override=any(site.override_reason for site in s.sites),
            payer_met=_payer_met(s, sessions[:index], policy),
            gas_t=gas_t,
            gas_day=gas_day,
            followups=len(s.followups),
            rule_version=outcomes.DURABILITY_VERSION,
            computed_at=now,
            **responses,
        )
        facets = [
            SessionFacet(
                outcome=outcome,
                clinic_id=patient.clinic_id,
                patient=patient,
                day=s.day,
                dimension=dimension,
                value=value,
                **{name: responses[name] for name in RESPONSES},
            )
            for dimension, value in _facets(s, index + 1)
        ]
        checkins = [
            SessionCheckin(
                outcome=outcome,
                clinic_id=patient.clinic_id,
                patient=patient,
                day=s.day,
                checkpoint=checkin.checkpoint,
                offset_days=checkin.offset_days,
                label=checkin.label,
                due_on=checkin.due_on,
                answered=checkin.completed_at is not None,
            )
            for checkin in s.checkins
        ]
        rows.append((outcome, facets, checkins))
    return rows


def store_session_outcomes(
    patients: Sequence[Patient], sessions: Mapping[int, Sequence[Session]], *, now: datetime
) -> int:
    """Replace the stored outcomes of ``patients`` with ``sessions`` (by patient pk), in
    the caller's transaction, with their day counts (``daycounts``). Returns the number of
    sessions stored."""
    rows = [
        row
        for patient in patients
        for row in session_outcomes(patient, sessions[patient.pk], now=now)
    ]
    with daycounts.kept_in_step([patient.pk for patient in patients]):
        SessionOutcome.objects.filter(patient__in=patients).delete()
        SessionOutcome.objects.bulk_create([outcome for outcome, _, _ in rows])
        SessionFacet.objects.bulk_create([facet for _, facets, _ in rows for facet in facets])
        SessionCheckin.objects.bulk_create([c for _, _, checkins in rows for c in checkins])
    return len(rows)
