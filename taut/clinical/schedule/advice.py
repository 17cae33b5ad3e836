"""Advice on the next step after one or more sessions: continue, repeat, reconsider, or
needs data.

Sources are the ids of ``../shared/reference/clinical.md`` §9.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from taut.clinical import payer
from taut.clinical.inputs import is_whole, read_date
from taut.clinical.schedule.relief import (
    RESPONDER_PERCENT,
    TWO_WEEK_WINDOW,
    TwoWeekRelief,
    two_week_relief,
)

VERSION = "2026.1"


RECONSIDER_AFTER = 2  # clinic policy; "2–3 unsuccessful injections" [S1] is unverified

CLINIC_POLICY_NOTE = (
    "Clinic policy, not a sourced rule: the advice to stop after 2–3 unsuccessful "
    "injections (AAFP 2002) could not be verified."
)


class Action(StrEnum):
    CONTINUE = "continue"
    REPEAT = "repeat"
    RECONSIDER = "reconsider"
    NEEDS_DATA = "needs_data"


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    source: str
    status: str  # "verified", "secondary" or "unverified" (clinic policy)


@dataclass(frozen=True, kw_only=True)
class Advice:
    action: Action
    reasons: tuple[Reason, ...]
    goals: tuple[str, ...]  # the patient's goals, unchanged, to show beside the advice
    two_week: tuple[TwoWeekRelief, ...]  # one per session, oldest first
    repeat: payer.Decision | None = None  # the payer decision, when one was made
    clinic_policy: bool = False  # True when the action rests on clinic policy, not a source
    clinic_policy_note: str | None = None
    version: str = VERSION


def next_step(
    history: payer.TreatmentHistory,
    goals: Iterable[str],
    *,
    today: date,
    policy: payer.Policy | str,
    reconsider_after: int = RECONSIDER_AFTER,
    responder_percent: float = RESPONDER_PERCENT,
    window: tuple[int, int] = TWO_WEEK_WINDOW,
) -> Advice:
    """Advise the next step after one or more TPI sessions.

    In order: "reconsider" when the last ``reconsider_after`` sessions (default 2) all
    gave less than ``responder_percent`` (30 %) relief at two weeks: clinic policy
    (the "2–3 unsuccessful injections" guidance [S1] is unverified), flagged as such;
    "needs_data" when that question is open because a two-week score is missing;
    "repeat" when ``payer.repeat_eligibility`` on ``today`` passes every check; else
    "continue", with each failed or unknown payer check as a reason. Sessions count in
    date order across all regions. ``goals`` are echoed unchanged.
    Source: [S1] (unverified), [S34], [S49], [S51]; status: clinic policy.
    """
    if isinstance(goals, str) or not isinstance(goals, Iterable):
        raise ValueError("goals: pass a list of goals, not a single value")
    goals = tuple(goals)
    if not is_whole(reconsider_after):
        raise ValueError("reconsider_after: must be a whole number of sessions")
    if reconsider_after < 1:
        raise ValueError("reconsider_after: must be at least 1")
    if not isinstance(history, payer.TreatmentHistory):
        raise ValueError("history: must be a TreatmentHistory")
    today = read_date(today, "today")
    policy = payer.as_policy(policy)
    sessions = history.sessions
    relief = tuple(
        two_week_relief(s, today=today, window=window, responder_percent=responder_percent)
        for s in sessions
    )
    if not sessions:
        reason = Reason(
            "no_sessions",
            "No TPI sessions recorded yet; whether to start is for screening to decide.",
            "",
            "verified",
        )
        return Advice(action=Action.CONTINUE, reasons=(reason,), goals=goals, two_week=relief)

    latest = relief[-reconsider_after:]
    if len(latest) == reconsider_after and not any(r.responded for r in latest):
        if all(r.responded is False for r in latest):
            which = "session" if reconsider_after == 1 else f"{reconsider_after} sessions in a row"
            reason = Reason(
                "reconsider",
                f"The last {which} gave less than {responder_percent:g}% relief at two weeks "
                f"({'; '.join(r.text for r in latest)}). Reconsider trigger point injections: "
                "review the diagnosis and the plan.",
                "S1, S34",
                "unverified",
            )
            return Advice(
                action=Action.RECONSIDER,
                reasons=(reason,),
                goals=goals,
                two_week=relief,
                clinic_policy=True,
                clinic_policy_note=CLINIC_POLICY_NOTE,
            )
        reasons = tuple(
            Reason("two_week_unknown", r.text, "S34", "unverified")
            for r in latest
            if r.responded is None
        )
        return Advice(
            action=Action.NEEDS_DATA,
            reasons=reasons,
            goals=goals,
            two_week=relief,
            clinic_policy=True,
            clinic_policy_note=CLINIC_POLICY_NOTE,
        )

    decision = payer.repeat_eligibility(history, on=today, policy=policy)
    last = Reason("two_week", relief[-1].text, "S34", "unverified")
    if decision.eligible:
        reason = Reason(
            "repeat_eligible",
            f"A repeat on {today} meets every check of {policy.name}.",
            policy.source,
            "secondary",
        )
        return Advice(
            action=Action.REPEAT,
            reasons=(last, reason),
            goals=goals,
            two_week=relief,
            repeat=decision,
        )
    blocking = tuple(
        Reason(f"repeat.{c.code}", c.text, c.source, c.status)
        for c in decision.checks
        if c.passed is not True
    )
    return Advice(
        action=Action.CONTINUE,
        reasons=(last, *blocking),
        goals=goals,
        two_week=relief,
        repeat=decision,
    )
