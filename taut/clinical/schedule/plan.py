"""Follow-up plans: the check-in days after a session, a clinic's own plan, and what a plan
cannot measure.

The default plan (day 1, day 3, week 1, week 2, week 6, week 12) is clinic policy, chosen to
catch post-injection soreness (days 1–3 [S10], [S13]), relief at two weeks [S15], [S20], and
the six-week relief a payer asks for before a repeat [S49], [S51]; clinics may edit it.

Sources are the ids of ``../shared/reference/clinical.md`` §9.
"""

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from taut.clinical import payer
from taut.clinical.inputs import is_whole, read_date
from taut.clinical.schedule.relief import TWO_WEEK_WINDOW

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

    def __post_init__(self) -> None:
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
