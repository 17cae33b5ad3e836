"""A session's response as the clinic's analytics count it: the pain score read as "at
2 weeks" and "at 6 weeks", and when relief of at least 50 % ended (or was last seen).

Pain scores are on the 0–10 numerical rating scale, dated the clinic's day they were
obtained. Relief and its thresholds are ``relief``'s ([S34], [S49], [S51]); the windows
and the event definition are Taut's own choices, documented in ``docs/clinical-rules.md``
("Clinic analytics").
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from taut.clinical.inputs import read_date, read_dated
from taut.clinical.outcomes.relief import (
    MODERATE_PERCENT,
    SORENESS_DAYS,
    SUSTAINED_RELIEF_PERCENT,
    _relief,
    read_nrs,
)

DURABILITY_VERSION = "2026.1"


@dataclass(frozen=True)
class Window:
    """When a follow-up counts as the score "at" a checkpoint: answered from ``first`` to
    ``last`` days after the session, the one nearest ``target`` (on a tie, the later)."""

    key: str
    target: int
    first: int
    last: int

    def closed_through(self, today: date) -> date:
        """The last session day whose window has closed by ``today``: a score can no
        longer arrive in it, so the session counts (scored or not) in the figures."""
        return read_date(today, "today") - timedelta(days=self.last + 1)


# Taut's choice (unverified: IMMPACT names the thresholds, not the timing). The 2-week
# check-in is due on day 14 and the 6-week one on day 42 (``schedule.DEFAULT_PLAN``); a
# score a few days early or a week late still answers the question, one from another
# checkpoint (day 7, day 84) does not.
TWO_WEEKS = Window("2w", 14, 10, 21)
SIX_WEEKS = Window("6w", 42, 35, 56)
WINDOWS = (TWO_WEEKS, SIX_WEEKS)


@dataclass(frozen=True)
class Response:
    """Relief at one checkpoint: the score used, its day after the session, and whether it
    reached 30 % and 50 % relief (IMMPACT moderate and substantial)."""

    window: Window
    nrs: int | float
    day: int
    relief: float
    at_least_30: bool
    at_least_50: bool


def response_at(
    window: Window, *, session_date: date, baseline: float, followups: Iterable[tuple[date, float]]
) -> Response | None:
    """The follow-up that answers "how much relief at ``window``?", or None when no score
    falls in its days (no follow-up: counted apart, never as a non-responder).

    Relief is exact (10 → 5 is 50 %: a responder). Source: [S34] (IMMPACT: ≥ 30 % moderate,
    ≥ 50 % substantial). Status: seen for the thresholds; the window is Taut's own.
    """
    start = read_date(session_date, "session_date")
    _relief(baseline, 0)  # validates the baseline (a zero baseline is refused)
    best: tuple[int, int, object] | None = None
    for field, when, (value,) in read_dated(
        followups, "followups", start=start, columns=("value",)
    ):
        read_nrs(value, f"{field}.value")
        day = (when - start).days
        if not window.first <= day <= window.last:
            continue
        rank = (-abs(day - window.target), day)  # nearest, then later
        if best is None or rank > best[:2]:
            best = (rank[0], rank[1], value)
    if best is None:
        return None
    day, value = best[1], best[2]
    relief = _relief(baseline, value)
    return Response(
        window=window,
        nrs=value,  # type: ignore[arg-type]  # checked by read_nrs
        day=day,
        relief=float(relief),
        at_least_30=relief >= MODERATE_PERCENT,
        at_least_50=relief >= SUSTAINED_RELIEF_PERCENT,
    )


@dataclass(frozen=True)
class ReliefEnd:
    """When ≥ 50 % relief was last known to hold: ``days`` after the session and whether
    it had ended then (``ended``: an event) or was still holding at the last score
    (censored)."""

    days: int
    ended: bool


def relief_end(
    *,
    session_date: date,
    baseline: float,
    followups: Iterable[tuple[date, float]],
    soreness_days: int = SORENESS_DAYS,
) -> ReliefEnd | None:
    """The durability of relief as a time to an event, for Kaplan–Meier curves.

    Counted follow-ups are those ``relief.relief_duration`` counts (scores below 50 % in
    the first ``soreness_days`` are expected soreness and set aside). In date order (on a
    shared date the worse first), the event is the first counted score below 50 % relief:
    ``days`` is its day after the session and ``ended`` is True. Relief is observed only at
    follow-ups, so the event falls on the first score that shows it ended (a session with
    no ≥ 50 % relief at its first counted score ends on that score's day). If every
    counted score is at ≥ 50 %, relief is censored at the last one (``ended`` False). None
    when there is no counted score: such a session is left out of the curve and counted
    apart as "no follow-up".
    Source: [S49], [S51] (≥ 50 % relief, dated, same scale); [S10], [S13] (soreness).
    Status: secondary; the event and censoring definitions are Taut's own.
    """
    start = read_date(session_date, "session_date")
    _relief(baseline, 0)
    scored = []
    for field, when, (value,) in read_dated(
        followups, "followups", start=start, columns=("value",)
    ):
        read_nrs(value, f"{field}.value")
        scored.append(((when - start).days, _relief(baseline, value)))
    scored.sort()
    counted = [
        (day, relief)
        for day, relief in scored
        if not (day <= soreness_days and relief < SUSTAINED_RELIEF_PERCENT)
    ]
    if not counted:
        return None
    for day, relief in counted:
        if relief < SUSTAINED_RELIEF_PERCENT:
            return ReliefEnd(days=day, ended=True)
    return ReliefEnd(days=counted[-1][0], ended=False)
