"""Goal (the patient's goals, scored on Goal Attainment Scaling) and CarePlan (a session's
aftercare with its check-ins, and each next-step decision with the advice it answered)."""

from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from typing import Any
from uuid import UUID

from taut.clinical import checkins
from taut.fhir.mapping import codes
from taut.fhir.mapping.base import (
    Json,
    coding,
    concept,
    day,
    derived_id,
    instant,
    ref,
    resource,
    taut_coding,
)

#: GAS levels −2…+2 and their words (``checkins.GAS``, [S39]).
GAS_LEVELS: dict[int, str] = {int(c.value): c.label for c in checkins.GAS.choices}
GAS_MEASURE = ("gas", "Goal Attainment Scaling level")
ASSESS_PLAN = concept(
    coding(codes.CAREPLAN_CATEGORY, "assess-plan", "Assessment and Plan of Treatment")
)
# NextStepDecision.decision → the activity's status (R4 care-plan-activity-status).
DECISION_ACTIVITY = {
    "repeat": "not-started",
    "continue": "in-progress",
    "review": "scheduled",
    "stop": "stopped",
    "other": "unknown",
}


def goal_id(visit_public_id: UUID | str, position: int) -> str:
    """A goal's id: Taut's goals have no public id, and are the visit's ``position``-th
    (1-based, in the order they were written): stable while the intake is unchanged."""
    return derived_id(str(visit_public_id), f"goal-{position}")


def gas_text(level: int) -> str:
    """A level as a person reads it: "+1 More than expected", "0 As expected"."""
    return f"{level:+d} {GAS_LEVELS[level]}" if level else f"0 {GAS_LEVELS[0]}"


def gas_level(level: int) -> Json:
    return concept(taut_coding("gas-level", str(level), GAS_LEVELS[level]), text=gas_text(level))


def _achievement(baseline: int, latest: int | None) -> tuple[str, str]:
    """goal-achievement from the latest GAS level: the expected level (0) or above is
    achieved; else better, equal or worse than the level at the start."""
    if latest is None:
        return "in-progress", "In Progress"
    if latest >= 0:
        return "achieved", "Achieved"
    if latest > baseline:
        return "improving", "Improving"
    if latest == baseline:
        return "no-change", "No Change"
    return "worsening", "Worsening"


def goal(
    visit: Any, entry: Any, position: int, answers: Sequence[tuple[Any, int]], *,
    patient_id: UUID | str, start: date, due: date | None, recorded: datetime | None,
) -> Json:  # fmt: skip
    """A goal ([UC] us-core-goal: lifecycleStatus, description, subject, startDate,
    target.dueDate). The target is the expected GAS level (0, Taut's ``gas-level``), due
    at the session's first check-in that asks GAS; ``answers`` are the (check-in, level)
    pairs so far, oldest first: the latest sets achievementStatus, each is an outcome."""
    latest = answers[-1][1] if answers else None
    achievement = _achievement(entry.baseline, latest)
    target: Json = {
        "measure": concept(taut_coding("checkin-item", *GAS_MEASURE), text=GAS_MEASURE[1]),
        "detailCodeableConcept": gas_level(0),
        "dueDate": day(due) if due else None,
    }
    return resource(
        "Goal",
        goal_id(visit.public_id, position),
        last_updated=answers[-1][0].completed_at if answers else recorded,
        profiles=(codes.us_core("us-core-goal"),),
        lifecycleStatus="active" if entry.active else "cancelled",
        achievementStatus=concept(coding(codes.GOAL_ACHIEVEMENT, *achievement)),
        description=concept(text=entry.text),
        subject=ref("Patient", patient_id),
        startDate=day(start),
        target=[target],
        expressedBy=ref("Patient", patient_id),
        note=[
            {
                "text": f"GAS level at the start: {entry.baseline:+d} "
                f"({GAS_LEVELS[entry.baseline]}); weight {entry.weight}."
            }
        ],
        outcomeReference=[
            ref("Observation", derived_id(str(checkin.public_id), f"gas-{position}"))
            for checkin, _ in answers
        ],
    )


def _div(*blocks: str) -> Json:
    return {
        "status": "generated",
        "div": '<div xmlns="http://www.w3.org/1999/xhtml">' + "".join(blocks) + "</div>",
    }


def _list(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>" if items else ""


def aftercare_plan(
    visit: Any, note: Any, instructions: Any, checkins_: Sequence[Any], *, patient_id: UUID | str,
) -> Json:  # fmt: skip
    """A signed session's aftercare ([UC] us-core-careplan): the handout the patient was
    given (``aftercare.Instructions``) as the narrative, and each follow-up check-in as an
    activity (completed ones point at their QuestionnaireResponse). Active while a
    check-in is open."""
    blocks = ["<p>Aftercare after trigger point injections</p>"]
    for section in instructions.sections:
        blocks.append(f"<h3>{escape(section.heading)}</h3>")
        blocks.append(_list([line.text for line in section.lines]))
    activities = []
    for checkin in checkins_:
        done = checkin.completed_at is not None
        activities.append(
            {
                "outcomeReference": [ref("QuestionnaireResponse", checkin.public_id)]
                if done
                else [],
                "detail": {
                    "code": concept(text=f"{checkin.label} check-in"),
                    "status": "completed" if done else "scheduled",
                    "scheduledPeriod": {"start": day(checkin.due_on)},
                    "description": f"Follow-up check-in due {checkin.due_on.isoformat()}",
                },
            }
        )
    open_ = any(c.completed_at is None for c in checkins_)
    author = ref("Practitioner", note.signed_by.public_id) if note.signed_by else None
    return resource(
        "CarePlan",
        derived_id(visit.public_id, "aftercare"),
        last_updated=max([note.signed_at, *(c.completed_at for c in checkins_ if c.completed_at)]),
        profiles=(codes.us_core("us-core-careplan"),),
        text=_div(*blocks),
        status="active" if open_ else "completed",
        intent="plan",
        category=[ASSESS_PLAN],
        title="Aftercare after trigger point injections",
        description="The aftercare instructions given and the follow-up check-ins.",
        subject=ref("Patient", patient_id),
        encounter=ref("Encounter", visit.public_id),
        period={"start": instant(note.signed_at)},
        created=instant(note.signed_at),
        author=author,
        activity=activities,
        note=[{"text": f"Handout rules version {instructions.version}."}],
    )


def decision_plan(entry: Any, visit: Any, *, patient_id: UUID | str, superseded: bool) -> Json:
    """A next-step decision ([UC] us-core-careplan): the decision (Taut ``next-step``) as
    its activity, the advice's reasons as the activity's reasonCode (Taut
    ``next-step-reason``), the payer checks and the note in the narrative. Active until a
    later decision replaces it (then completed; the later one names it in ``replaces``)."""
    label = entry.get_decision_display()
    checks_ = entry.advice_checks or {}
    reasons = checks_.get("reasons", [])
    payer = checks_.get("checks", [])
    advice = (
        f"Advice shown: {entry.get_advice_action_display()} ({entry.get_eligible_display()}; "
        f"rules {entry.rule_version}, payer policy {entry.payer_policy})."
    )
    blocks = [
        f"<p>Next step after the session: {escape(label)}</p>",
        f"<p>{escape(entry.note)}</p>" if entry.note else "",
        f"<p>Review on {entry.review_on.isoformat()}</p>" if entry.review_on else "",
        f"<p>{escape(advice)}</p>",
        _list([r.get("text", "") for r in reasons if r.get("text")]),
        _list([f"{'Met' if c.get('passed') else 'Not met'}: {c.get('text', '')}" for c in payer]),
    ]
    decided = concept(taut_coding("next-step", entry.decision, label), text=label)
    detail: Json = {
        "code": decided,
        "status": DECISION_ACTIVITY.get(entry.decision, "unknown"),
        "reasonCode": [
            concept(
                taut_coding("next-step-reason", r["code"], r.get("text", "")),
                text=r.get("text", ""),
            )
            for r in reasons
            if r.get("code")
        ],
        "scheduledPeriod": {"start": day(entry.review_on)} if entry.review_on else None,
        "description": entry.note,
    }
    return resource(
        "CarePlan",
        entry.public_id,
        last_updated=entry.decided_at,
        profiles=(codes.us_core("us-core-careplan"),),
        text=_div(*blocks),
        status="completed" if superseded else "active",
        intent="plan",
        category=[ASSESS_PLAN, decided],
        title=f"Next step: {label}",
        description=entry.note,
        subject=ref("Patient", patient_id),
        encounter=ref("Encounter", visit.public_id),
        period={"start": instant(entry.decided_at)},
        created=instant(entry.decided_at),
        author=ref("Practitioner", entry.decided_by.public_id) if entry.decided_by else None,
        replaces=[ref("CarePlan", entry.previous.public_id)] if entry.previous_id else [],
        activity=[{"detail": detail}],
        note=[{"text": advice}],
    )
