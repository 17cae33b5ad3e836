"""Writes of the aftercare app: scheduling check-ins, recording them, acknowledging alerts.

Every function is keyword-only, atomic and audited. The rules (which questions, which
alerts, which dates) come from ``taut.clinical``; nothing here re-states them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from taut.aftercare.models import Alert, CheckIn
from taut.aftercare.queries import checkpoint_for, questions_for, session_facts
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import aftercare, checkins, schedule
from taut.lib.refusals import Invalid, Refused

NOTE_MIN = 5


class AftercareError(Refused):
    """A write that cannot be made; the message says why, in plain words."""


class AnswersInvalid(Invalid, AftercareError):
    """Answers that do not fit the check-in's questions; ``errors`` maps field to message."""


def _audit(
    *, action, request, by, patient, object_type, object_id, details=None, actor_username=""
):
    record_event(
        action=action,
        request=request,
        actor=by,
        actor_username=actor_username,
        clinic_id=patient.clinic_id,
        object_type=object_type,
        object_id=str(object_id),
        patient_id=patient.public_id,
        details=details or {},
    )


def schedule_checkins(*, visit, by, request=None) -> list[CheckIn]:
    """Create the check-ins of the clinic's follow-up plan for a signed session.

    The plan is the clinic's own (``Clinic.plan()``, set on the clinic settings page) or
    Taut's default, as it stands at signing: a later change of plan leaves this session's
    check-ins alone. Called from ``settings.AFTER_SIGNING`` inside the signing transaction.
    Idempotent: a session that already has its check-ins gets none from another plan.
    """
    if visit.checkins.exists():
        return []
    session_date = timezone.localdate(visit.scheduled_for)
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
            _audit(
                action=Action.CREATE,
                request=request,
                by=by,
                patient=visit.patient,
                object_type="checkin",
                object_id=visit.public_id,
                details={
                    "scheduled": [c.checkpoint for c in created],
                    "plan": plan.name,
                    "visit": str(visit.public_id),
                },
            )
    return created


def _score(value, errors, field):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        errors[field] = "Enter a whole number from 0 to 10."
        return None
    return value


def clean_answers(*, checkin: CheckIn, answers: dict) -> dict:
    """The answers checked against ``checkins.questions`` for this check-in.

    Raises ``AnswersInvalid`` naming each bad field. GAS answers are a mapping of the
    visit's goal ids (kept server-side) to levels −2..+2, one for every active goal.
    """
    asked, facts = questions_for(checkin)
    if not isinstance(answers, dict):
        raise AnswersInvalid({"answers": "Expected a mapping of question to answer."})
    errors: dict[str, str] = {}
    clean = {}
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


def record_checkin(
    *, checkin: CheckIn, answers: dict, by, source: str, request=None, actor_username: str = ""
) -> CheckIn:
    """Record a check-in's answers and raise an alert at once for each warning "yes".

    ``by`` is the member of staff who took the answers, or None when the patient sent them
    through the portal; then ``actor_username`` names the actor in the audit trail.
    """
    if source not in CheckIn.Source.values:
        raise AftercareError(f"Unknown source {source!r}.")
    clean = clean_answers(checkin=checkin, answers=answers)
    now = timezone.now()
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
        checkin.recorded_by = by
        checkin.rule_version = checkins.VERSION
        for field in ("nrs", "peg_pain", "peg_enjoyment", "peg_activity", "soreness"):
            setattr(checkin, field, clean.get(field))
        checkin.pgic = clean.get("pgic") or ""
        try:
            checkin.full_clean()
        except ValidationError as error:
            raise AnswersInvalid({k: " ".join(v) for k, v in error.message_dict.items()}) from None
        checkin.save()
        _audit(
            action=Action.UPDATE,
            request=request,
            by=by,
            patient=checkin.patient,
            object_type="checkin",
            object_id=checkin.public_id,
            details={"change": "completed", "source": source, "fields": sorted(clean)},
            actor_username=actor_username,
        )
        warnings = {
            key: value == "yes"
            for key, value in clean.items()
            if key in {str(s) for s in aftercare.Sign}
        }
        raised = aftercare.alerts(
            warnings,
            sites=session_facts(checkin.visit).sites,
            checkpoint=checkpoint_for(checkin),
        )
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
            _audit(
                action=Action.CREATE,
                request=request,
                by=by,
                patient=checkin.patient,
                object_type="alert",
                object_id=alert.public_id,
                details={"code": alert.code, "severity": alert.severity},
                actor_username=actor_username,
            )
            # Later apps' work on an alert (e.g. emailing the clinic's address).
            for hook in settings.AFTER_ALERT:
                import_string(hook)(alert=alert, request=request)
    return checkin


def acknowledge_alert(*, alert: Alert, note: str, by, request=None) -> Alert:
    """Close an alert with what was done. Refused without a note, or if already closed."""
    note = " ".join((note or "").split())
    if len(note) < NOTE_MIN:
        raise AftercareError(f"Write what was done (at least {NOTE_MIN} characters).")
    if len(note) > 1000:
        raise AftercareError("The note is at most 1000 characters.")
    now = timezone.now()
    with transaction.atomic():
        claimed = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=by, note=note
        )
        if not claimed:
            raise AftercareError("This alert has already been acknowledged.")
        alert.refresh_from_db()
        _audit(
            action=Action.UPDATE,
            request=request,
            by=by,
            patient=alert.patient,
            object_type="alert",
            object_id=alert.public_id,
            details={"change": "acknowledged", "code": alert.code},
        )
    return alert
