"""Writes of the aftercare app: scheduling check-ins, recording them, acknowledging alerts.

Every function is keyword-only, atomic and audited. The rules (which questions, which
alerts, which dates) come from ``taut.clinical``; nothing here re-states them.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.aftercare.models import Alert, CheckIn
from taut.aftercare.queries import checkpoint_for, questions_for, session_facts
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import aftercare, checkins, schedule
from taut.lib.refusals import Invalid, NotAllowed, Refused
from taut.visits import queries as visits
from taut.visits.models import Visit

NOTE_MIN = 5


class AftercareError(Refused):
    """A write that cannot be made; the message says why, in plain words."""


class AnswersInvalid(Invalid, AftercareError):
    """Answers that do not fit the check-in's questions; ``errors`` maps field to message."""


class AftercareNotAllowed(NotAllowed, AftercareError):
    """The actor may not make this change."""


def _require(actor: Actor, need: Need, why: str, *, clinic_id: int) -> None:
    if not actor.may(need):
        raise AftercareNotAllowed(why)
    if actor.clinic_id != clinic_id:
        raise AftercareNotAllowed("This patient belongs to another clinic.")


def schedule_checkins(*, visit: Visit, actor: Actor) -> list[CheckIn]:
    """Create the check-ins of the clinic's follow-up plan for a signed session.

    The plan is the clinic's own (``Clinic.plan()``, set on the clinic settings page) or
    Taut's default, as it stands at signing: a later change of plan leaves this session's
    check-ins alone. Called by ``taut.workflows.signing.sign_note`` inside the signing
    transaction. Idempotent: a session that already has its check-ins gets none from
    another plan.
    """
    _require(
        actor, Need.SIGN, "Check-ins are scheduled by signing the note.",
        clinic_id=visit.patient.clinic_id,
    )  # fmt: skip
    if visit.state != Visit.State.SIGNED:
        raise AftercareError("Check-ins follow a signed session only.")
    if visit.checkins.exists():
        return []
    session_date = visits.session_date(visit)
    plan = visit.patient.clinic.plan()
    created = []
    with transaction.atomic():
        for point in schedule.followups(session_date, plan):
            checkin = CheckIn(
                visit=visit,
                patient=visit.patient,
                checkpoint=point.key,
                offset_days=point.offset_days,
                label=point.label,
                due_on=point.date,
                rule_version=schedule.VERSION,
            )
            checkin.full_clean()
            checkin.save()
            created.append(checkin)
        if created:
            record_event(
                actor=actor,
                action=Action.CREATE,
                patient=visit.patient,
                obj=visit,
                object_type="checkin",
                details={
                    "scheduled": [c.checkpoint for c in created],
                    "plan": plan.name,
                    "visit": str(visit.public_id),
                },
            )
    return created


def _score(value: Any, errors: dict[str, str], field: str) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        errors[field] = "Enter a whole number from 0 to 10."
        return None
    return value


def clean_answers(*, checkin: CheckIn, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers checked against ``checkins.questions`` for this check-in.

    Raises ``AnswersInvalid`` naming each bad field. GAS answers are a mapping of the
    visit's goal ids (kept server-side) to levels −2..+2, one for every active goal.
    """
    asked, facts = questions_for(checkin)
    if not isinstance(answers, dict):
        raise AnswersInvalid({"answers": "Expected a mapping of question to answer."})
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    unknown = set(answers) - {q.id for q in asked}
    for key in sorted(unknown):
        errors[key] = "This check-in does not ask this question."
    for question in asked:
        value = answers.get(question.id)
        kind = question.kind
        if kind in (checkins.Kind.NRS, checkins.Kind.PEG, checkins.Kind.SORENESS):
            clean[question.id] = _score(value, errors, question.id)
        elif kind is checkins.Kind.WARNING:
            if value not in ("yes", "no"):
                errors[question.id] = "Answer yes or no."
            clean[question.id] = value
        elif kind is checkins.Kind.PGIC:
            if value not in {c.value for c in question.choices}:
                errors[question.id] = "Pick one of the choices."
            clean[question.id] = value
        elif kind is checkins.Kind.TREATMENTS:
            allowed = {c.value for c in question.choices}
            value = list(value or [])
            if not set(value) <= allowed:
                errors[question.id] = "Pick from the list."
            clean[question.id] = [c.value for c in question.choices if c.value in value]
        elif kind is checkins.Kind.GAS:
            levels = {c.value for c in question.choices}
            value = value if isinstance(value, dict) else {}
            goal_ids = [str(g.pk) for g in facts.goals]
            gas = {goal_id: value.get(goal_id) for goal_id in goal_ids}
            if any(isinstance(v, bool) or v not in levels for v in gas.values()):
                errors["gas"] = "Pick a level from −2 to +2 for each goal."
            if set(value) - set(goal_ids):
                errors["gas"] = "Answer for this session's goals only."
            clean[question.id] = gas
    if errors:
        raise AnswersInvalid(errors)
    return clean


def record_checkin(*, checkin: CheckIn, answers: dict[str, Any], actor: Actor) -> list[Alert]:
    """Record a check-in's answers and raise an alert at once for each warning "yes";
    return the alerts raised (``taut.workflows.followup`` emails the clinic about them).

    ``actor`` is the member of staff who took the answers by phone, or the patient who sent
    them through the portal (the check-in's source follows).
    """
    if actor.patient_id is not None:
        if actor.patient_id != checkin.patient_id:
            raise AftercareNotAllowed("A patient answers their own check-ins only.")
        source = CheckIn.Source.PATIENT
    else:
        _require(
            actor, Need.NURSING_WRITE, "Your role does not record check-ins.",
            clinic_id=checkin.patient.clinic_id,
        )  # fmt: skip
        source = CheckIn.Source.STAFF_PHONE
    clean = clean_answers(checkin=checkin, answers=answers)
    now = actor.now
    with transaction.atomic():
        # Claim the check-in with a conditional update: two people recording the same
        # call cannot both complete it (this works on SQLite too).
        claimed = CheckIn.objects.filter(pk=checkin.pk, completed_at__isnull=True).update(
            completed_at=now
        )
        if not claimed:
            raise AftercareError("This check-in is already completed.")
        checkin.completed_at = now
        checkin.source = source
        checkin.answers = clean
        checkin.recorded_by = actor.user
        checkin.rule_version = checkins.VERSION
        for field in ("nrs", "peg_pain", "peg_enjoyment", "peg_activity", "soreness"):
            setattr(checkin, field, clean.get(field))
        checkin.pgic = clean.get("pgic") or ""
        try:
            checkin.full_clean()
        except ValidationError as error:
            raise AnswersInvalid({k: " ".join(v) for k, v in error.message_dict.items()}) from None
        checkin.save()
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=checkin.patient,
            obj=checkin,
            details={"change": "completed", "source": str(source), "fields": sorted(clean)},
        )
        warnings = {
            key: value == "yes"
            for key, value in clean.items()
            if key in {str(s) for s in aftercare.Sign}
        }
        facts = session_facts(checkin.visit)
        raised = aftercare.alerts(
            warnings,
            sites=facts.sites,
            checkpoint=checkpoint_for(checkin),
            steroid_sites=facts.steroid_sites,
        )
        created = []
        for found in raised:
            alert = Alert.objects.create(
                patient=checkin.patient,
                checkin=checkin,
                code=found.code,
                severity=str(found.severity),
                text=found.text,
                source=found.source,
                rule_version=found.version,
                raised_at=now,
            )
            record_event(
                actor=actor,
                action=Action.CREATE,
                patient=checkin.patient,
                obj=alert,
                details={"code": alert.code, "severity": alert.severity},
            )
            created.append(alert)
    return created


def acknowledge_alert(*, alert: Alert, note: str, actor: Actor) -> Alert:
    """Close an alert with what was done. Refused without a note, or if already closed."""
    _require(
        actor, Need.NURSING_WRITE, "Your role does not acknowledge alerts.",
        clinic_id=alert.patient.clinic_id,
    )  # fmt: skip
    note = " ".join((note or "").split())
    if len(note) < NOTE_MIN:
        raise AftercareError(f"Write what was done (at least {NOTE_MIN} characters).")
    if len(note) > 1000:
        raise AftercareError("The note is at most 1000 characters.")
    with transaction.atomic():
        claimed = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=actor.now, acknowledged_by=actor.user, note=note
        )
        if not claimed:
            raise AftercareError("This alert has already been acknowledged.")
        alert.refresh_from_db()
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=alert.patient,
            obj=alert,
            details={"change": "acknowledged", "code": alert.code},
        )
    return alert
