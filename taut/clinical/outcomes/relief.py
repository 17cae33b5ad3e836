"""Pain relief after a session: percent relief, its IMMPACT class, and how long ≥ 50 % relief
lasted.

Pain scores are on the 0–10 numerical rating scale (0 = no pain, 10 = worst possible pain).
Relief is compared with exact fractions, so boundaries such as 10 → 5 (exactly 50 %) land
in the class the guideline gives them; each float is read as the decimal it prints as.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from taut.clinical.inputs import is_whole, read_between, read_date, read_dated

VERSION = "2026.1"

NRS_MIN = 0
NRS_MAX = 10

# IMMPACT thresholds, percent reduction from baseline [S34].
SUBSTANTIAL_PERCENT = 50
MODERATE_PERCENT = 30
MINIMAL_PERCENT = 10
# The relief a payer counts as sustained (Medicare LCD: ≥ 50 % relief) [S49], [S51].
SUSTAINED_RELIEF_PERCENT = 50
# Post-injection soreness: it starts 2–8 h after [S10] and pain may recur or worsen 1–3 days
# after the injection [S13]. Scores from the session day to this day after it, below the
# sustained-relief threshold, are expected soreness: set aside, they do not end a relief run.
SORENESS_DAYS = 3


def read_nrs(value: object, field: str) -> Fraction:
    """A score on the 0–10 numerical rating scale, read exactly (``inputs.read_number``).

    Not a rule: input checking (the scale is [S34]'s).
    """
    return read_between(value, field, NRS_MIN, NRS_MAX)


def _relief(baseline: object, value: object) -> Fraction:
    """Exact percent relief; refuses a zero baseline."""
    if type(baseline) is int and type(value) is int:  # not bool, a subclass of int
        return _relief_of_whole_scores(baseline, value)
    return _exact_relief(baseline, value)


@functools.cache
def _relief_of_whole_scores(baseline: int, value: int) -> Fraction:
    """``_exact_relief`` of two whole scores, remembered. Scores are whole numbers from 0 to
    10, so the same few pairs come back hundreds of times a page (the worklist's "Next step
    due" asked for 825 per request, about a third of its CPU in exact fractions). A refused
    pair raises and is not kept, so it holds at most the 10 × 11 valid pairs; a Fraction is
    immutable, so a remembered one cannot be changed by a caller."""
    return _exact_relief(baseline, value)


def _exact_relief(baseline: object, value: object) -> Fraction:
    start = read_nrs(baseline, "baseline")
    now = read_nrs(value, "value")
    if start == 0:
        raise ValueError("baseline: is 0, so no relief can be measured")
    return (start - now) / start * 100


def relief_percent(baseline: float, value: float) -> float:
    """Percent pain relief: ``(baseline − value) / baseline × 100`` on the 0–10 NRS.

    Negative when pain is worse. Baseline 0 raises ValueError (no relief is measurable).
    Use the same scale as the baseline, as the Medicare LCD requires [S51].
    Source: [S34] (IMMPACT, percent change), [S49], [S51]. Status: seen.
    """
    relief = _relief(baseline, value)
    try:
        return float(relief)
    except OverflowError:  # a baseline like 1e-308 with pain worse: astronomically worse
        return -math.inf


class Immpact(StrEnum):
    SUBSTANTIAL = "substantial"
    MODERATE = "moderate"
    MINIMAL = "minimal"
    NONE = "none"
    WORSE = "worse"


def immpact_category(baseline: float, value: float) -> Immpact:
    """IMMPACT class of a change in pain (Dworkin et al., J Pain 2008).

    ≥ 50 % reduction: substantial; ≥ 30 %: moderate; ≥ 10 %: minimal; 0 to < 10 %: none;
    any increase: worse. Boundaries are exact (10 → 7 is 30 %: moderate).
    Source: [S34] (Bandolier summary of Dworkin 2008), clinical.md R6. Status: seen for
    ≥ 30 % and ≥ 50 %; IMMPACT calls 10–20 % minimally important and leaves 20–30 %
    unnamed: counting 20–< 30 % as minimal is Taut's choice (clinical.md R6).
    """
    relief = _relief(baseline, value)
    if relief >= SUBSTANTIAL_PERCENT:
        return Immpact.SUBSTANTIAL
    if relief >= MODERATE_PERCENT:
        return Immpact.MODERATE
    if relief >= MINIMAL_PERCENT:
        return Immpact.MINIMAL
    if relief >= 0:
        return Immpact.NONE
    return Immpact.WORSE


@dataclass(frozen=True)
class ReliefDuration:
    """How long ≥ 50 % relief lasted after a session, and why."""

    days: int | None
    last_date: date | None
    followups_counted: int
    reason: str
    set_aside: int = 0  # scores in the soreness days below the threshold, not counted
    version: str = VERSION


def relief_duration(
    *,
    session_date: date,
    baseline: float,
    followups: Iterable[tuple[date, float]],
    soreness_days: int = SORENESS_DAYS,
) -> ReliefDuration:
    """How long follow-ups stayed at ≥ 50 % relief after a session, with the reason.

    Follow-ups are ``(date, value)`` pairs on the baseline's 0–10 scale, dated when they
    were obtained, on or after the session (a same-day score counts as day 0). Scores dated
    up to ``soreness_days`` after the session (default 3) that are below 50 % relief are
    expected post-injection soreness: they are set aside (counted in ``set_aside``) and do
    not end the run; a score there at ≥ 50 % counts. In date order (on a shared date the
    worse score first), take the unbroken run of the remaining follow-ups at ≥ 50 % relief
    that starts with the first one. ``days`` is from the session date to the last follow-up
    of that run: a lower bound, since relief is not assumed to outlast the last score that
    shows it. ``days`` is 0 when the first counted follow-up is below 50 %, None when there
    is none (no follow-ups, or only soreness-day scores).
    Source: [S49], [S51] (≥ 50 % relief with dated measurements, same scale); [S10], [S13]
    (soreness 1–3 days after). Status: seen / secondary; the run definition and setting
    the soreness days aside are Taut's.
    """
    start = read_date(session_date, "session_date")
    if not is_whole(soreness_days) or soreness_days < 0:
        raise ValueError(f"soreness_days: expected a whole number ≥ 0, got {soreness_days!r}")
    _relief(baseline, 0)  # validates the baseline even when there are no follow-ups
    scored = []
    for field, when, (value,) in read_dated(
        followups, "followups", start=start, columns=("value",)
    ):
        read_nrs(value, f"{field}.value")  # refused with the row's name
        scored.append((when, _relief(baseline, value)))
    scored.sort(key=lambda pair: (pair[0], pair[1]))
    sore = [
        (when, relief)
        for when, relief in scored
        if (when - start).days <= soreness_days and relief < SUSTAINED_RELIEF_PERCENT
    ]
    scored = [pair for pair in scored if pair not in sore]
    aside = ""
    if sore:
        aside = (
            f" {len(sore)} score(s) from the first {soreness_days} days below "
            f"{SUSTAINED_RELIEF_PERCENT} % set aside as expected soreness."
        )
    if not scored:
        why = "No follow-up scores" if not sore else "Only soreness-day scores"
        return ReliefDuration(None, None, 0, f"{why}: duration unknown.{aside}", len(sore))
    run = []
    for when, relief in scored:
        if relief < SUSTAINED_RELIEF_PERCENT:
            break
        run.append(when)
    if not run:
        first_date, first_relief = scored[0]
        return ReliefDuration(
            0,
            None,
            0,
            f"First follow-up ({first_date}) showed {math.floor(first_relief)} % relief, "
            f"below {SUSTAINED_RELIEF_PERCENT} %.{aside}",
            len(sore),
        )
    days = (run[-1] - start).days
    return ReliefDuration(
        days,
        run[-1],
        len(run),
        f"{len(run)} follow-up(s) at ≥ {SUSTAINED_RELIEF_PERCENT} % relief, from the session "
        f"on {start} through {run[-1]}: {days} days.{aside}",
        len(sore),
    )


def relief_duration_days(
    *, session_date: date, baseline: float, followups: Iterable[tuple[date, float]]
) -> int | None:
    """Days that follow-ups stayed at ≥ 50 % relief after a session (see :func:`relief_duration`).

    None when there are no follow-ups (or only soreness-day scores); 0 when the first
    counted one is below 50 %.
    Source: [S49], [S51], [S10], [S13]. Status: seen / secondary; the run definition is
    Taut's.
    """
    return relief_duration(session_date=session_date, baseline=baseline, followups=followups).days
