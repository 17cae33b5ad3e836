"""Kaplan–Meier survival from aggregated counts, with Greenwood's variance, the log-log
("exponential Greenwood") confidence band, and the median with its confidence interval.

The database hands over ``GROUP BY time, event`` counts, so the input is rows of
``(time_days, events, censored)``: any order, a time may come more than once (its counts
are summed). No subject-level data is needed.

Sources are the ids of ``docs/clinical-rules.md`` ("Clinic analytics").
"""

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from taut.clinical.analytics._checks import read_confidence, read_count, z_for
from taut.clinical.analytics.proportions import CONFIDENCE
from taut.clinical.inputs import read_collection

HALF = 0.5
# Below this distance from 0.5 a floating-point survival is re-checked exactly (Fractions),
# so a curve that is exactly one half (1 of 2, or 3/4 × 2/3) gives the median at that step.
_NEAR_HALF = 1e-9


@dataclass(frozen=True)
class Step:
    """The curve at one time: ``at_risk`` subjects (those still followed, censored ones at
    this time included), ``events`` and ``censored`` at it, the survival after the events
    and its band (``low``, ``high``)."""

    time: int
    at_risk: int
    events: int
    censored: int
    survival: float
    low: float
    high: float


@dataclass(frozen=True)
class Median:
    """The first time the curve falls to 0.5 or below (``time``) and its interval: ``low``
    is the first time the band's lower edge does, ``high`` the first time its upper edge
    does. None: not reached (the page says "more than …")."""

    time: int | None
    low: int | None
    high: int | None


@dataclass(frozen=True)
class Survival:
    """A Kaplan–Meier curve: its steps in time order, one for each time with an event or a
    censoring, at ``confidence``, and its median."""

    steps: tuple[Step, ...]
    confidence: float
    median: Median

    @property
    def subjects(self) -> int:
        return self.steps[0].at_risk if self.steps else 0

    @property
    def events(self) -> int:
        return sum(step.events for step in self.steps)

    @property
    def censored(self) -> int:
        return sum(step.censored for step in self.steps)


@dataclass(frozen=True)
class Point:
    """The curve read at ``time``: survival and its band."""

    time: int
    survival: float
    low: float
    high: float


def _read_rows(rows: object) -> dict[int, tuple[int, int]]:
    """``{time: (events, censored)}``, duplicate times summed, empty rows dropped."""
    shape = "a list of (time_days, events, censored)"
    totals: dict[int, tuple[int, int]] = {}
    for index, row in enumerate(read_collection(rows, "rows", shape)):
        field = f"rows[{index}]"
        if not isinstance(row, tuple | list) or len(row) != 3:
            raise ValueError(f"{field}: expected (time_days, events, censored), got {row!r}")
        time = read_count(row[0], f"{field}.time_days")
        events = read_count(row[1], f"{field}.events")
        censored = read_count(row[2], f"{field}.censored")
        if events or censored:
            before = totals.get(time, (0, 0))
            totals[time] = (before[0] + events, before[1] + censored)
    return totals


def _band(survival: float, variance: float, z: float) -> tuple[float, float]:
    """The log-log band: exp(−exp(log(−log S) ∓ z·√V / log S)) [S86], as lifelines computes
    it. Where S = 1 (no event yet) lifelines' formula is 0/0, which it fills with 1: the
    band is (1, 1). Where S = 0 it is exp(−∞): the band is (0, 0)."""
    if survival >= 1.0:
        return 1.0, 1.0
    if survival <= 0.0:
        return 0.0, 0.0
    log_s = math.log(survival)
    spread = z * math.sqrt(variance) / log_s
    log_minus_log = math.log(-log_s)
    return math.exp(-math.exp(log_minus_log - spread)), math.exp(-math.exp(log_minus_log + spread))


def kaplan_meier(
    rows: Iterable[tuple[int, int, int]], *, confidence: float = CONFIDENCE
) -> Survival:
    """The Kaplan–Meier curve of aggregated ``(time_days, events, censored)`` rows.

    At each time t with d events among the n subjects at risk, S(t) = S(t⁻) × (1 − d/n)
    [S84]. A subject censored at t is still at risk at t: at a tie, events come before
    censorings (lifelines' convention). Greenwood's variance of log S sums d / (n(n − d))
    [S85] (a step where every subject at risk has the event adds nothing, as in lifelines,
    and S is 0 from there). The band is pointwise on the log(−log S) scale, the exponential
    Greenwood interval, lifelines' default [S86]; at S = 1 it is (1, 1) and at S = 0 it is
    (0, 0), the values lifelines gives. The median is the first time S ≤ 0.5 and its
    interval the first times the band's edges are ≤ 0.5 [S87]; None = not reached.
    Times and counts are whole numbers ≥ 0 (time 0 is allowed); rows with no events and no
    censorings are ignored; no rows give a curve with no steps.

    Source: [S84], [S85], [S86], [S87]; checked against lifelines ``KaplanMeierFitter``
    and ``median_survival_times``. Status: secondary (the papers were not read; the
    formulas are checked against lifelines' source and output).
    """
    level = read_confidence(confidence)
    z = z_for(level)
    totals = _read_rows(rows)
    at_risk = sum(events + censored for events, censored in totals.values())
    survival, variance = 1.0, 0.0
    steps: list[Step] = []
    for time in sorted(totals):
        events, censored = totals[time]
        if events:
            survival *= (at_risk - events) / at_risk
            if events < at_risk:
                variance += events / (at_risk * (at_risk - events))
            else:
                survival = 0.0
        low, high = _band(survival, variance, z)
        steps.append(Step(time, at_risk, events, censored, survival, low, high))
        at_risk -= events + censored
    return Survival(tuple(steps), level, _median(steps))


def _at_or_below_half(steps: list[Step], index: int) -> bool:
    """Whether the survival at ``steps[index]`` is ≤ 0.5, exactly."""
    survival = steps[index].survival
    if abs(survival - HALF) > _NEAR_HALF:
        return survival <= HALF
    exact = Fraction(1)
    for step in steps[: index + 1]:
        exact *= Fraction(step.at_risk - step.events, step.at_risk)
    return exact <= HALF


def _median(steps: list[Step]) -> Median:
    time = next(
        (step.time for index, step in enumerate(steps) if _at_or_below_half(steps, index)),
        None,
    )
    low = next((step.time for step in steps if step.low <= HALF), None)
    high = next((step.time for step in steps if step.high <= HALF), None)
    return Median(time, low, high)


def survival_at(survival: Survival, time_days: int) -> Point | None:
    """The curve at ``time_days``: the last step at or before it (a step function), or
    survival 1 with the band (1, 1) before the first step. None past the last step unless
    the curve has reached 0 (nobody was followed that long, so the curve says nothing
    there; lifelines carries the last value forward) and None for a curve with no steps.

    Source: [S84] (the estimate is a step function). Status: secondary; None past the last
    follow-up is Taut's choice.
    """
    time = read_count(time_days, "time_days")
    steps = survival.steps
    if not steps or (time > steps[-1].time and steps[-1].survival > 0):
        return None
    index = bisect.bisect_right([step.time for step in steps], time) - 1
    if index < 0:
        return Point(time, 1.0, 1.0, 1.0)
    step = steps[index]
    return Point(time, step.survival, step.low, step.high)
