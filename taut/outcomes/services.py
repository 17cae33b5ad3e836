"""Writes of the outcomes app: the clinician's next-step decision and reading of function.

Keyword-only, atomic, validated with ``full_clean`` and audited. The advice stored with
a decision is computed here, never taken from the form; the rules come from
``taut.clinical.schedule``.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from taut.accounts.actors import Actor
from taut.accounts.models import Clinic
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import schedule
from taut.lib.refusals import Conflict, Invalid, NotAllowed, Refused
from taut.outcomes import daycounts, facts, queries
from taut.outcomes.models import FunctionReading, NextStepDecision, NextStepDue
from taut.patients.models import Patient
from taut.visits.models import Visit

REVIEW_WITHIN_DAYS = 366  # a review date further out is most likely a typing slip


class DecisionError(Refused):
    """A decision that cannot be recorded; the message says why, in plain words."""


class DecisionInvalid(Invalid, DecisionError):
    """Bad input; ``errors`` maps each field to its message."""


class DecisionConflict(Conflict, DecisionError):
    """The card changed after the clinician opened it; nothing was saved."""


class DecisionNotAllowed(NotAllowed, DecisionError):
    """The actor's role does not record decisions."""


def _require_clinician(
    actor: Actor, why: str, *, patient: Patient, refuse: type[NotAllowed]
) -> None:
    if not actor.may(Need.CLINICAL_WRITE):
        raise refuse(why)
    if actor.clinic_id != patient.clinic_id:
        raise refuse("This patient belongs to another clinic.")


def _when(moment: Any, actor: Actor) -> str:
    """A time as the actor's clinic reads it, for a conflict message."""
    return timezone.localtime(moment, actor.zone).strftime("%H:%M on %d %b")


def _stale_decision(latest: NextStepDecision, actor: Actor) -> str:
    who = latest.decided_by.display_name if latest.decided_by else "Someone"
    when = _when(latest.decided_at, actor)
    return (
        f"{who} recorded a decision ({latest.get_decision_display()}) at {when}, after you "
        "opened this card. Yours was not saved: read theirs, then decide again if needed."
    )


def _checks(advice: schedule.Advice) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "reasons": [
            {"code": r.code, "text": r.text, "source": r.source, "status": r.status}
            for r in advice.reasons
        ],
        "checks": [],
    }
    if advice.repeat is not None:
        summary["on"] = advice.repeat.on.isoformat()
        summary["policy_version"] = advice.repeat.policy_version
        summary["checks"] = [
            {"code": c.code, "passed": c.passed, "text": c.text, "source": c.source}
            for c in advice.repeat.checks
        ]
    return summary


def record_decision(
    *,
    patient: Patient,
    visit: Visit,
    decision: str,
    note: str,
    review_on: date | None,
    advice_seen: str,
    decision_seen: str | None,
    actor: Actor,
) -> NextStepDecision:
    """Record the clinician's decision on the advice after ``visit``, the latest session.

    ``advice_seen`` is ``queries.advice_fingerprint`` of the advice the clinician read and
    ``decision_seen`` the public id of the latest decision then shown (None: none). If the
    advice or the latest decision has changed since, ``DecisionConflict`` and nothing is
    saved. A note is required when the decision departs from the advice
    (``schedule.follows_advice``); "review" needs ``review_on``, which must be within a
    year after ``actor.today`` (the clinic's day). The advice is computed for that day.
    """
    _require_clinician(
        actor,
        "Only a clinician records the next-step decision.",
        patient=patient,
        refuse=DecisionNotAllowed,
    )
    today = actor.today
    if visit.patient_id != patient.pk:
        raise DecisionError("This session belongs to another patient.")
    errors: dict[str, str] = {}
    if review_on is not None and not today < review_on <= today + timedelta(REVIEW_WITHIN_DAYS):
        errors["review_on"] = "Choose a review date after today and within a year."
    with transaction.atomic():
        # Serialise decisions on this patient (a row lock on PostgreSQL; SQLite already
        # holds the write lock), so the checks below see any decision just made.
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        sessions = queries.sessions_for_patient(patient)
        advice = queries.next_step_for(patient, sessions, today=today)
        if advice is None:
            raise DecisionError("There is no next-step advice to answer yet.")
        if sessions[-1].visit.pk != visit.pk:
            raise DecisionConflict(
                "A newer session was signed after you opened this card: read its advice first."
            )
        latest = NextStepDecision.objects.filter(patient=patient).first()
        seen = str(decision_seen) if decision_seen else None
        if (str(latest.public_id) if latest else None) != seen:
            raise DecisionConflict(_stale_decision(latest, actor) if latest else "Reload the card.")
        if advice_seen != queries.advice_fingerprint(advice, sessions):
            raise DecisionConflict(
                "The advice changed after you opened this card (new follow-up scores, a new "
                "day or a clinic policy). Nothing was saved: read the advice again and decide."
            )
        record = NextStepDecision(
            patient=patient,
            visit=visit,
            previous=latest,
            advice_action=str(advice.action),
            rule_version=advice.version,
            payer_policy=patient.clinic.payer_policy,
            reconsider_after=patient.clinic.reconsider_after,
            eligible=queries.eligibility(advice),
            advice_checks=_checks(advice),
            decision=decision,
            note=(note or "").strip(),
            review_on=review_on,
            decided_by=actor.user,
            decided_at=actor.now,
        )
        try:
            # The constraints guard the chain and the review date in the database too;
            # clean() reports the same rules by field, and a lost race is caught below.
            record.full_clean(exclude=["previous"], validate_constraints=False)
        except ValidationError as error:
            errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
        if errors:
            raise DecisionInvalid(errors)
        try:
            with transaction.atomic():
                record.save(force_insert=True)
        except IntegrityError:  # another decision followed the same one: a race we lost
            raise DecisionConflict(
                "Another clinician recorded a decision at the same moment. Reload the card."
            ) from None
        record_event(
            actor=actor,
            action=Action.CREATE,
            patient=patient,
            obj=record,
            details={
                "decision": record.decision,
                "advice": record.advice_action,
                "follows_advice": record.follows_advice,
                "eligible": record.eligible,
                "payer_policy": record.payer_policy,
                "rule_version": record.rule_version,
                "visit": str(visit.public_id),
                "previous": str(latest.public_id) if latest else None,
            },
        )
        refresh_next_step_due(patient=patient, now=actor.now)
    return record


class ReadingError(Refused):
    """A reading of function that cannot be recorded; the message says why."""


class ReadingInvalid(Invalid, ReadingError):
    """Bad input; ``errors`` maps each field to its message."""


class ReadingConflict(Conflict, ReadingError):
    """The session's reading or its figures changed after the form was opened."""


class ReadingNotAllowed(NotAllowed, ReadingError):
    """The actor's role does not record readings of function."""


def _stale_reading(latest: FunctionReading, actor: Actor) -> str:
    who = latest.recorded_by.display_name if latest.recorded_by else "Someone"
    when = _when(latest.recorded_at, actor)
    return (
        f"{who} recorded function as {latest.label.lower()} at {when}, after you opened "
        "this form. Yours was not saved: read theirs, then record again if needed."
    )


def record_function_reading(
    *,
    visit: Visit,
    improved: bool | None,
    scale: str,
    note: str,
    actor: Actor,
    scale_name: str = "",
    seen: dict[str, str] | None = None,
) -> FunctionReading:
    """Record the clinician's reading of function after the signed session ``visit``.

    ``improved`` is True or False; ``scale`` a ``FunctionReading.Scale`` (another scale
    needs ``scale_name`` and its scores in ``note``). The PEG evidence
    (``taut.clinical.outcomes.function_evidence``) is computed here and stored with the
    reading; a reading on the PEG that departs from what it suggests needs a note. A later
    reading of the same session supersedes the current one, which is kept.

    ``seen`` is what the form showed: ``{"reading": public id of the current reading or
    "", "evidence": queries.evidence_fingerprint(...)}``; if either has changed since,
    ``ReadingConflict`` and nothing is saved. Scripts that show nothing pass None.
    """
    _require_clinician(
        actor,
        "Only a clinician records the reading of function.",
        patient=visit.patient,
        refuse=ReadingNotAllowed,
    )
    errors: dict[str, str] = {}
    if improved not in (True, False):
        errors["improved"] = "Choose improved or not improved."
    with transaction.atomic():
        # Serialise readings on this patient (a row lock on PostgreSQL; SQLite already
        # holds the write lock), so the checks below see any reading just made.
        Patient.objects.select_for_update().filter(pk=visit.patient_id).first()
        session = queries.session_for_visit(visit)
        if session is None:
            raise ReadingError("Function is read after a signed session only.")
        latest = FunctionReading.objects.filter(visit=visit, followed_by__isnull=True).first()
        if seen is not None:
            if (str(latest.public_id) if latest else "") != str(seen.get("reading") or ""):
                raise ReadingConflict(
                    _stale_reading(latest, actor) if latest else "Reload the card."
                )
            if seen.get("evidence") != queries.evidence_fingerprint(session.function):
                raise ReadingConflict(
                    "The PEG figures for this session changed after you opened the form (a "
                    "new check-in). Nothing was saved: read them again and record."
                )
        record = FunctionReading(
            patient_id=visit.patient_id,
            visit=visit,
            previous=latest,
            # None on purpose when no choice was made: full_clean() reports it with the
            # other fields' errors (the column itself is NOT NULL).
            improved=improved if improved in (True, False) else None,  # type: ignore[misc]
            scale=scale,
            scale_name=(scale_name or "").strip() if scale == FunctionReading.Scale.OTHER else "",
            note=(note or "").strip(),
            evidence=session.function.as_dict(),
            rule_version=session.function.version,
            recorded_by=actor.user,
            recorded_at=actor.now,
        )
        try:
            # The constraints guard the chain and the named scale in the database too;
            # clean() reports the same rules by field, and a lost race is caught below.
            record.full_clean(exclude=["previous"], validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, " ".join(messages))
        if errors:
            raise ReadingInvalid(errors)
        try:
            with transaction.atomic():
                record.save(force_insert=True)
        except IntegrityError:  # another reading followed the same one: a race we lost
            raise ReadingConflict(
                "Another clinician recorded a reading at the same moment. Reload the card."
            ) from None
        record_event(
            actor=actor,
            action=Action.CREATE,
            patient=visit.patient,
            obj=record,
            details={
                "improved": record.improved,
                "scale": record.scale,
                "suggestion": record.evidence.get("suggestion"),
                "agrees": record.agrees,
                "rule_version": record.rule_version,
                "visit": str(visit.public_id),
                "previous": str(latest.public_id) if latest else None,
            },
        )
        refresh_next_step_due(patient=visit.patient, now=actor.now)
    return record


def refresh_next_step_due(*, patient: Patient, now: datetime) -> NextStepDue:
    """Compute the day the patient's next-step decision is due (``queries.due_from_for``)
    and store it, with each session's outcome as the clinic's analytics count it
    (``facts.store_session_outcomes``). Called inside the transaction of each write that changes its facts
    (``workflows.notes.sign_note``, ``workflows.followup.record_checkin``,
    ``record_decision``, ``record_function_reading``), so the worklist never reads a date
    older than the facts. Derived data: the write that called it carries the audit event.
    """
    sessions = queries.sessions_for_patient(patient)
    facts.store_session_outcomes([patient], {patient.pk: sessions}, now=now)
    due_from = queries.due_from_for(patient, sessions, queries.latest_decision(patient))
    row, _ = NextStepDue.objects.update_or_create(
        patient=patient,
        defaults={
            "clinic_id": patient.clinic_id,
            "last_session": sessions[-1].visit if sessions else None,
            "due_from": due_from,
            "rule_version": schedule.DUE_FROM_VERSION,
            "computed_at": now,
        },
    )
    return row


REFRESH_CHUNK = 500


def refresh_next_steps_for_clinic(
    *, clinic: Clinic, now: datetime, session_outcomes: bool = True
) -> int:
    """Compute and store the next-step due day and the session outcomes of every patient of
    ``clinic`` again, in
    chunks of ``REFRESH_CHUNK`` patients (a constant number of queries each), one
    transaction per chunk: after the clinic's payer policy or "reconsider after" changed
    (``taut refresh-next-steps``), after a bulk seed, or to fill the table. Returns the
    number of patients."""
    ids = list(Patient.objects.filter(clinic=clinic).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        with transaction.atomic():
            patients = list(Patient.objects.filter(pk__in=chunk).select_related("clinic"))
            sessions = queries.sessions_by_patient(patients)
            if session_outcomes:  # False only in migration 0004, before their table
                facts.store_session_outcomes(patients, sessions, now=now)
            due = queries.due_from_by_patient(patients, sessions)
            NextStepDue.objects.filter(patient__in=chunk).delete()
            NextStepDue.objects.bulk_create(
                NextStepDue(
                    patient=patient,
                    clinic=clinic,
                    last_session=due[patient.pk][1],
                    due_from=due[patient.pk][0],
                    rule_version=schedule.DUE_FROM_VERSION,
                    computed_at=now,
                )
                for patient in patients
            )
    if session_outcomes:
        # The chunks kept the day counts in step; counting the clinic again also repairs
        # them if anything ever left them out of step.
        with transaction.atomic():
            daycounts.rebuild(clinic.pk)
    return len(ids)
