"""Follow-up schedule after a TPI session, and advice on the next step.

``followups`` lists the check-in dates of a clinic's follow-up plan. The default
plan (day 1, day 3, week 1, week 2, week 6, week 12) is clinic policy, chosen to
catch post-injection soreness (days 1–3 [S10], [S13]), relief at two weeks
[S15], [S20], and the six-week relief a payer asks for before a repeat [S49],
[S51]; clinics may edit it. ``plan_from_days`` makes a clinic's plan from its days
(keys and labels such as "day_5"/"Day 5", "week_3"/"Week 3"), and ``plan_warnings`` says
what a plan cannot measure (relief at two weeks, the payer's lasting relief).

``next_step`` advises "continue", "repeat" (when ``payer.repeat_eligibility``
allows it), "reconsider" (after ``reconsider_after`` sessions in a row without
30 % relief at two weeks: clinic policy, since the "2–3 unsuccessful injections"
guidance attributed to AAFP 2002 [S1] is unverified) or "needs_data" (the
reconsider question cannot be settled without a missing two-week score). It
always carries its reasons and the patient's goals.

The clinician decides (``NextStep``); ``follows_advice`` says whether a decision is
one the advice points to (if not, the app asks why), and ``next_step_due`` whether a
decision is due: the advice asks for one, the follow-up plan has ended, or a review
date has come. Both are clinic policy.

"Relief at two weeks" is the relief (``outcomes.relief_percent``) at the
follow-up closest to day 14 within days 10–21 after the session, inclusive; on
a tie the earlier day, and on one day the worse score. No score in that window
means unknown: never a guess.

Sources are the ids of ``../shared/reference/clinical.md`` §9.
"""

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from taut.clinical import outcomes, payer
from taut.clinical.inputs import is_whole, member_of, read_date

VERSION = "2026.1"

TWO_WEEK_DAY = 14
TWO_WEEK_WINDOW = (10, 21)  # clinic policy: days after the session, inclusive
RESPONDER_PERCENT = outcomes.MODERATE_PERCENT  # 30 %: IMMPACT "moderately important" [S34]
RECONSIDER_AFTER = 2  # clinic policy; "2–3 unsuccessful injections" [S1] is unverified

CLINIC_POLICY_NOTE = (
    "Clinic policy, not a sourced rule: the advice to stop after 2–3 unsuccessful "
    "injections (AAFP 2002) could not be verified."
)

_KEY = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Checkpoint:
    key: str  # e.g. "week_6"
    offset_days: int  # days after the session
    label: str  # e.g. "Week 6"


@dataclass(frozen=True)
class FollowupPlan:
    """A clinic's follow-up plan: check-ins strictly increasing, all after the session."""

    checkpoints: tuple[Checkpoint, ...]
    name: str = "default"

    def __post_init__(self):
        points = tuple(self.checkpoints)
        if not points:
            raise ValueError("checkpoints: a plan needs at least one check-in")
        for point in points:
            if not isinstance(point, Checkpoint):
                raise ValueError(f"checkpoints: {point!r} is not a Checkpoint")
            if not isinstance(point.key, str) or not _KEY.fullmatch(point.key):
                raise ValueError(f"checkpoints: key {point.key!r} must be like 'week_6'")
            offset = point.offset_days
            if not is_whole(offset) or offset < 1:
                raise ValueError(f"checkpoints: offset of {point.key!r} must be a whole day ≥ 1")
        keys = [p.key for p in points]
        if len(set(keys)) != len(keys):
            raise ValueError("checkpoints: keys must be unique")
        offsets = [p.offset_days for p in points]
        if len(set(offsets)) != len(offsets):
            raise ValueError("checkpoints: offsets must be unique")
        if offsets != sorted(offsets):
            raise ValueError("checkpoints: must be sorted by offset")
        object.__setattr__(self, "checkpoints", points)


DEFAULT_PLAN = FollowupPlan(
    (
        Checkpoint("day_1", 1, "Day 1"),
        Checkpoint("day_3", 3, "Day 3"),
        Checkpoint("week_1", 7, "Week 1"),
        Checkpoint("week_2", 14, "Week 2"),
        Checkpoint("week_6", 42, "Week 6"),
        Checkpoint("week_12", 84, "Week 12"),
    )
)


@dataclass(frozen=True)
class FollowupDate:
    key: str
    label: str
    offset_days: int
    date: date


def followups(session_date: date, plan: FollowupPlan = DEFAULT_PLAN) -> list[FollowupDate]:
    """The check-in dates of ``plan`` after a session on ``session_date``.

    Source: clinic policy (unverified); the default plan's days follow post-injection
    soreness [S10], [S13], two-week relief [S15], [S20] and the LCD's six weeks [S49],
    [S51]. Dates are calendar days, so they cross month and year ends as expected.
    """
    start = read_date(session_date, "session_date")
    if not isinstance(plan, FollowupPlan):
        raise ValueError("plan: must be a FollowupPlan")
    return [
        FollowupDate(p.key, p.label, p.offset_days, start + timedelta(days=p.offset_days))
        for p in plan.checkpoints
    ]


# -- A clinic's own plan --------------------------------------------------------

# Not rules: input bounds that catch a typo (420 for 42) or a runaway list, since every
# check-in also sends the patient a reminder email.
PLAN_MAX_DAY = 365
PLAN_MAX_CHECKINS = 12
_WEEK = 7


def plan_from_days(days: Iterable[int], *, name: str = "clinic") -> FollowupPlan:
    """A follow-up plan with a check-in on each of ``days`` after the session.

    Keys and labels are made from the offsets: a whole number of weeks is "week_3" /
    "Week 3", any other day "day_5" / "Day 5", so the default days (1, 3, 7, 14, 42, 84)
    give ``DEFAULT_PLAN``'s checkpoints. Days must be whole numbers from 1 (day 0 is the
    session itself) to ``PLAN_MAX_DAY``, strictly increasing (a repeated day is refused),
    at most ``PLAN_MAX_CHECKINS`` of them; otherwise ``ValueError`` says which day is wrong.
    Not a rule: naming and input bounds only. Which days a clinic follows up on is clinic
    policy (``plan_warnings`` says what a plan cannot measure). Source: none needed.
    """
    if isinstance(days, str | bytes) or not isinstance(days, Iterable):
        raise ValueError("days: give a list of whole days after the session")
    days = list(days)
    if not days:
        raise ValueError("days: a plan needs at least one check-in")
    if len(days) > PLAN_MAX_CHECKINS:
        raise ValueError(f"days: at most {PLAN_MAX_CHECKINS} check-ins, not {len(days)}")
    for day in days:
        if not is_whole(day):
            raise ValueError(f"days: {day!r} is not a whole number of days")
        if day < 1:
            raise ValueError(f"days: day {day} is not after the session; check-ins start on day 1")
        if day > PLAN_MAX_DAY:
            raise ValueError(f"days: day {day} is more than {PLAN_MAX_DAY} days after the session")
    for before, after in itertools.pairwise(days):
        if after == before:
            raise ValueError(f"days: day {after} is listed twice")
        if after < before:
            raise ValueError(
                f"days: list the days in increasing order (day {after} after {before})"
            )
    points = []
    for day in days:
        unit, count = ("week", day // _WEEK) if day % _WEEK == 0 else ("day", day)
        points.append(Checkpoint(f"{unit}_{count}", day, f"{unit.capitalize()} {count}"))
    return FollowupPlan(tuple(points), name=name)


def plan_days(plan: FollowupPlan) -> list[int]:
    """The days after the session of ``plan``'s check-ins. Not a rule: a data view."""
    return [p.offset_days for p in plan.checkpoints]


@dataclass(frozen=True)
class PlanWarning:
    code: str
    text: str
    source: str
    status: str


def plan_warnings(
    plan: FollowupPlan, *, policy: payer.Policy | str | None = None
) -> tuple[PlanWarning, ...]:
    """What a follow-up plan cannot measure: a reason to review it, never to refuse it.

    "no_two_week": no check-in within ``TWO_WEEK_WINDOW`` (days 10–21), so relief at two
    weeks (``two_week_relief``) is unknown after every session and ``next_step`` can only
    ask for the missing score. "payer_relief": with a ``policy`` that needs relief lasting
    ``required_relief_days`` (the LCDs' six weeks), a plan whose last check-in is earlier
    cannot show that relief, so a repeat cannot be shown to qualify.
    Source: [S34] (two-week relief; the window is clinic policy, unverified); the policy's
    own source for the relief it needs ([S49], [S51] for the LCDs).
    """
    if not isinstance(plan, FollowupPlan):
        raise ValueError("plan: must be a FollowupPlan")
    days = plan_days(plan)
    first, last = TWO_WEEK_WINDOW
    warnings = []
    if not any(first <= day <= last for day in days):
        warnings.append(
            PlanWarning(
                "no_two_week",
                f"No check-in between day {first} and day {last}: relief at two weeks cannot "
                "be measured, so the next-step advice cannot tell whether a session helped "
                "and will ask for the missing score instead.",
                "S34",
                "unverified",
            )
        )
    if policy is not None:
        policy = payer.as_policy(policy)
        need = policy.required_relief_days
        if need is not None and days[-1] < need:
            warnings.append(
                PlanWarning(
                    "payer_relief",
                    f"The last check-in is on day {days[-1]}, but {policy.name} needs "
                    f"{policy.required_relief_percent:g}% relief lasting {need} days before a "
                    f"repeat: without a score from day {need} on, a repeat cannot be shown to "
                    "qualify.",
                    policy.source,
                    policy.status["required_relief"],
                )
            )
    return tuple(warnings)


# -- Relief at two weeks ------------------------------------------------------


@dataclass(frozen=True)
class TwoWeekRelief:
    session_date: date
    percent: float | None  # None: unknown
    followup_date: date | None
    responded: bool | None  # percent ≥ the responder threshold; None: unknown
    text: str


def _window(window: tuple[int, int]) -> tuple[int, int]:
    if (
        not isinstance(window, tuple)
        or len(window) != 2
        or not all(is_whole(d) for d in window)
        or not 0 <= window[0] <= TWO_WEEK_DAY <= window[1]
    ):
        raise ValueError(f"window: must be (first, last) days around day {TWO_WEEK_DAY}")
    return window


def _percent(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        raise ValueError(f"{name}: must be a percent above 0 and at most 100")
    return float(value)


def two_week_relief(
    session: payer.SessionRecord,
    *,
    today: date,
    window: tuple[int, int] = TWO_WEEK_WINDOW,
    responder_percent: float = RESPONDER_PERCENT,
) -> TwoWeekRelief:
    """Relief of the index pain at two weeks after ``session``, or why it is unknown.

    The follow-up closest to day 14 within ``window`` (default days 10–21, inclusive)
    counts; on a tie the earlier day, on one day the worse score. Relief is
    ``outcomes.relief_percent`` on the baseline's scale; ``responded`` means at least
    ``responder_percent`` (default 30 %, IMMPACT "moderate" [S34]). No baseline, a
    different follow-up scale, or no score in the window: unknown, with the reason.
    Source: [S34], [S15], [S20]; the window is clinic policy (unverified).
    """
    first, last = _window(window)
    threshold = _percent(responder_percent, "responder_percent")
    today = read_date(today, "today")
    when = session.date
    opens, closes = when + timedelta(days=first), when + timedelta(days=last)

    def unknown(text: str) -> TwoWeekRelief:
        return TwoWeekRelief(when, None, None, None, text)

    if session.baseline is None:
        return unknown(f"Session on {when}: no baseline pain score, so relief is unknown.")
    if session.baseline == 0:
        return unknown(f"Session on {when}: baseline pain was 0, so relief is unknown.")
    if session.followup_scale != session.scale:
        return unknown(
            f"Session on {when}: follow-ups on {session.followup_scale!r}, baseline on "
            f"{session.scale!r}; relief needs the same scale."
        )
    in_window = [(d, v) for d, v in session.followups if opens <= d <= closes]
    if not in_window:
        if today < opens:
            return unknown(f"Session on {when}: the two-week score is not due until {opens}.")
        if today <= closes:
            return unknown(f"Session on {when}: the two-week score is due by {closes}.")
        return unknown(f"Session on {when}: no pain score between {opens} and {closes}.")
    chosen, value = min(
        in_window, key=lambda p: (abs((p[0] - when).days - TWO_WEEK_DAY), p[0], -p[1])
    )
    percent = outcomes.relief_percent(session.baseline, value)
    responded = percent >= threshold
    day = (chosen - when).days
    text = (
        f"Session on {when}: {math.floor(percent)}% relief on {chosen} (day {day}), "
        f"{'at least' if responded else 'less than'} {threshold:g}%."
    )
    return TwoWeekRelief(when, percent, chosen, responded, text)


# -- Next step ----------------------------------------------------------------


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
    goals: tuple  # the patient's goals, unchanged, to show beside the advice
    two_week: tuple[TwoWeekRelief, ...]  # one per session, oldest first
    repeat: payer.Decision | None = None  # the payer decision, when one was made
    clinic_policy: bool = False  # True when the action rests on clinic policy, not a source
    clinic_policy_note: str | None = None
    version: str = VERSION


def next_step(
    history: payer.TreatmentHistory,
    goals: Iterable,
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
    clinic_policy = {"clinic_policy": True, "clinic_policy_note": CLINIC_POLICY_NOTE}
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
                **clinic_policy,
            )
        reasons = tuple(
            Reason("two_week_unknown", r.text, "S34", "unverified")
            for r in latest
            if r.responded is None
        )
        return Advice(
            action=Action.NEEDS_DATA, reasons=reasons, goals=goals, two_week=relief, **clinic_policy
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


# -- The clinician's decision, and when one is due -----------------------------


class NextStep(StrEnum):
    """What the clinician decides after reading the advice (recorded by the app)."""

    REPEAT = "repeat"  # repeat session
    CONTINUE = "continue"  # continue the current plan or self-care
    REVIEW = "review"  # pause and review on a date
    STOP = "stop"  # stop injections: refer or change the approach
    OTHER = "other"


# Decisions that follow each piece of advice; any other decision needs a written reason.
FOLLOWS = MappingProxyType(
    {
        Action.REPEAT: frozenset({NextStep.REPEAT}),
        Action.CONTINUE: frozenset({NextStep.CONTINUE}),
        Action.RECONSIDER: frozenset({NextStep.STOP, NextStep.REVIEW}),
        Action.NEEDS_DATA: frozenset({NextStep.CONTINUE, NextStep.REVIEW}),
    }
)


def _action(value: object) -> Action:
    action = member_of(Action, value)
    if action is None:
        raise ValueError(f"action: unknown advice {value!r}")
    return action


def follows_advice(action: Action | str, decision: NextStep | str) -> bool:
    """Whether ``decision`` is one the advice ``action`` points to (``FOLLOWS``).

    "Repeat" follows a repeat; "continue" follows continue; stopping (refer, change the
    approach) or a review date follows "reconsider" ("review the diagnosis and the plan");
    continuing or a review date follows "needs data". Any other decision is the clinician
    departing from the advice, and the app asks why. "Other" never follows.
    Source: clinic policy (unverified): software suggests, the clinician decides and
    documents a departure from the advice; not a guideline rule.
    """
    action = _action(action)
    try:
        decision = NextStep(decision)
    except ValueError:
        raise ValueError(f"decision: unknown decision {decision!r}") from None
    return decision in FOLLOWS[action]


@dataclass(frozen=True)
class Due:
    due: bool
    code: str  # due: review_date, reconsider, repeat, followup_ended; else: decided, review_later, followup_open
    text: str
    since: date | None  # the day it fell due; None when not due


def next_step_due(
    *,
    last_session: date,
    action: Action | str,
    today: date,
    decided: bool,
    review_on: date | None = None,
    plan: FollowupPlan = DEFAULT_PLAN,
) -> Due:
    """Is the clinician's next-step decision due, after the session on ``last_session``?

    With a decision recorded since that session (``decided``): due from its
    ``review_on`` date, otherwise not until another session. With none: due when the
    advice is "reconsider" (a clinic-policy prompt to review the plan) or "repeat" (the
    payer allows one on ``today``), or once the follow-up plan of that session has ended
    (the day after its last check-in, e.g. week 12 of the default plan); else not yet.
    Source: clinic policy (unverified); the plan's dates as ``followups`` ([S49], [S51]
    for the six-week review).
    """
    last_session = read_date(last_session, "last_session")
    today = read_date(today, "today")
    action = _action(action)
    if decided not in (True, False):
        raise ValueError("decided: must be True or False")
    if review_on is not None:
        review_on = read_date(review_on, "review_on")
        if not decided:
            raise ValueError("review_on: only a decision since the last session sets one")
    if decided:
        if review_on is None:
            return Due(False, "decided", "Decided after the last session.", None)
        if review_on <= today:
            return Due(True, "review_date", f"The review date {review_on} has come.", review_on)
        return Due(False, "review_later", f"Review on {review_on}.", None)
    if action is Action.RECONSIDER:
        text = "The advice is to reconsider injections; no decision recorded yet."
        return Due(True, "reconsider", text, today)
    if action is Action.REPEAT:
        text = "A repeat session meets the payer's checks; no decision recorded yet."
        return Due(True, "repeat", text, today)
    last = followups(last_session, plan)[-1]
    if last.date < today:
        text = (
            f"Follow-up after the session on {last_session} ended with the {last.label} "
            f"check-in on {last.date}; no decision recorded yet."
        )
        return Due(True, "followup_ended", text, last.date + timedelta(days=1))
    text = f"Follow-up runs until the {last.label} check-in on {last.date}."
    return Due(False, "followup_open", text, None)
