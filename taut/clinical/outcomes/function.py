"""Function after a session: the PEG's interference items at intake against each follow-up,
the evidence a clinician reads, and whether their reading agrees with its suggestion.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction

from taut.clinical.inputs import read_between, read_date, read_dated, read_number
from taut.clinical.outcomes.relief import NRS_MAX, VERSION, read_nrs

# Function: the PEG's interference items (enjoyment of life, general activity) are BPI
# interference items [S36]. IMMPACT counts a 1-point fall in BPI interference as minimally
# important [S34]; the L36859 summary asks for >= 50 % functional improvement [S50]
# (secondary). Applying both to the mean of the two PEG items is Taut's reading.
FUNCTION_MIN_POINTS = 1
FUNCTION_PERCENT = 50
FUNCTION_SOURCE = "S34, S36, S50"


def peg_interference(enjoyment: float, activity: float) -> float:
    """The PEG's function (interference) score: the mean of items 2 and 3, interference with
    enjoyment of life and with general activity, each 0–10 (Krebs et al., JGIM 2009).

    Source: [S36] (items, taken from the BPI interference scale). Status: items seen;
    averaging the two interference items alone is Taut's (as the PEG averages all three).
    """
    return float((read_nrs(enjoyment, "enjoyment") + read_nrs(activity, "activity")) / 2)


class FunctionSuggestion(StrEnum):
    IMPROVED = "improved"
    NOT_IMPROVED = "not_improved"
    UNKNOWN = "unknown"  # no baseline, no follow-up, or nothing to improve


@dataclass(frozen=True)
class InterferencePoint:
    """One follow-up's interference against the session's baseline. ``fall_points`` and
    ``fall_percent`` are positive when interference fell (better), negative when it rose;
    ``fall_percent`` is None when the baseline is 0."""

    date: date
    day: int  # days after the session
    score: float
    fall_points: float
    fall_percent: float | None
    meaningful: bool
    change: str  # in words, e.g. "3.0 points (54 %) lower"
    decides: bool = False  # the follow-up the suggestion reads (the latest)


@dataclass(frozen=True)
class FunctionEvidence:
    """The PEG interference evidence for one session and what it suggests, with the
    thresholds used. It suggests; the clinician reads function and decides."""

    baseline: float | None
    followups: tuple[InterferencePoint, ...]
    suggestion: FunctionSuggestion
    text: str
    min_points: float
    percent: float
    basis: str = ""  # which follow-up the suggestion reads, and why
    source: str = FUNCTION_SOURCE
    status: str = "unverified"
    version: str = VERSION

    def as_dict(self) -> dict[str, object]:
        """Plain values (JSON-ready) to store with the reading made on this evidence."""
        return {
            "baseline": self.baseline,
            "followups": [
                {
                    "date": p.date.isoformat(),
                    "day": p.day,
                    "score": p.score,
                    "fall_points": p.fall_points,
                    "fall_percent": p.fall_percent,
                    "meaningful": p.meaningful,
                    "change": p.change,
                }
                for p in self.followups
            ],
            "suggestion": str(self.suggestion),
            "text": self.text,
            "min_points": self.min_points,
            "percent": self.percent,
            "source": self.source,
            "status": self.status,
            "version": self.version,
        }


def _score_text(value: Fraction) -> str:
    return f"{float(value):.1f}"


def _change_text(points: Fraction, percent: Fraction | None) -> str:
    if points == 0:
        return "unchanged"
    way = "lower" if points > 0 else "higher"
    size = f"{_score_text(abs(points))} point{'' if abs(points) == 1 else 's'}"
    if percent is None:
        return f"{size} {way}"
    return f"{size} ({math.floor(abs(percent))} %) {way}"


def function_evidence(
    *,
    session_date: date,
    baseline: tuple[float, float] | None,
    followups: Iterable[tuple[date, float, float]],
    percent: float = FUNCTION_PERCENT,
    min_points: float = FUNCTION_MIN_POINTS,
) -> FunctionEvidence:
    """PEG interference (items 2–3) at intake against each follow-up, and a suggestion.

    ``baseline`` is the intake's ``(enjoyment, activity)`` (None: not recorded) and
    ``followups`` are ``(date, enjoyment, activity)`` dated on or after the session. Each
    follow-up gets its fall in points and percent of the baseline; it is *meaningful* when
    interference fell by at least ``min_points`` (default 1) **and** ``percent`` (default
    50 %). The suggestion reads the latest follow-up (on a shared date the worse score):
    improved when it is meaningful, not improved when it is not, unknown when there is no
    baseline, no follow-up, or no interference at baseline to improve. The follow-up read is
    marked ``decides``, and ``basis`` says so in words, naming earlier follow-ups that read
    the other way (so a card showing "meaningful" rows above "not improved" explains itself).
    Source: [S34] (IMMPACT: 1-point fall in BPI interference minimally important, seen),
    [S36] (PEG items 2–3 are BPI interference items, seen), [S50] (≥ 50 % functional
    improvement, L36859 summary, secondary). Status: applying them to the PEG's two items
    is Taut's reading: **unverified**, and both thresholds are parameters.
    """
    start = read_date(session_date, "session_date")
    need_percent = read_number(percent, "percent")
    if not 0 < need_percent <= 100:
        raise ValueError(f"percent: must be above 0 and at most 100, got {percent!r}")
    need_points = read_between(min_points, "min_points", 0, NRS_MAX)
    scored = []
    rows = read_dated(followups, "followups", start=start, columns=("enjoyment", "activity"))
    for field, when, (enjoyment, activity) in rows:
        score = (
            read_nrs(enjoyment, f"{field}.enjoyment") + read_nrs(activity, f"{field}.activity")
        ) / 2
        scored.append((when, score))
    # Date order; on a shared date the worse (higher) score last, so it is "the latest".
    scored.sort()
    unit = "point" if need_points == 1 else "points"
    rule = (
        f"A fall of ≥ {float(need_points):g} {unit} and ≥ {float(need_percent):g} % suggests "
        "improved function."
    )

    def evidence(
        base: Fraction | None,
        points: Iterable[InterferencePoint],
        suggestion: FunctionSuggestion,
        text: str,
        basis: str = "",
    ) -> FunctionEvidence:
        return FunctionEvidence(
            baseline=None if base is None else float(base),
            followups=tuple(points),
            suggestion=suggestion,
            text=text,
            basis=basis,
            min_points=float(need_points),
            percent=float(need_percent),
        )

    if baseline is None:
        return evidence(None, (), FunctionSuggestion.UNKNOWN, "No PEG interference at intake.")
    if not isinstance(baseline, tuple | list) or len(baseline) != 2:
        raise ValueError(f"baseline: expected (enjoyment, activity), got {baseline!r}")
    base = (
        read_nrs(baseline[0], "baseline.enjoyment") + read_nrs(baseline[1], "baseline.activity")
    ) / 2
    points = []
    for when, score in scored:
        fall = base - score
        fall_percent = fall / base * 100 if base else None
        meaningful = (
            fall_percent is not None and fall >= need_points and fall_percent >= need_percent
        )
        points.append(
            InterferencePoint(
                date=when,
                day=(when - start).days,
                score=float(score),
                fall_points=float(fall),
                fall_percent=None if fall_percent is None else float(fall_percent),
                meaningful=meaningful,
                change=_change_text(fall, fall_percent),
            )
        )
    at_intake = f"Interference (PEG enjoyment and activity) {_score_text(base)} at intake"
    if not scored:
        text = f"{at_intake}; no follow-up PEG yet."
        return evidence(base, points, FunctionSuggestion.UNKNOWN, text)
    if base == 0:
        text = f"{at_intake}: no interference to improve on this scale."
        return evidence(base, points, FunctionSuggestion.UNKNOWN, text)
    points[-1] = replace(points[-1], decides=True)
    latest = points[-1]
    text = (
        f"{at_intake}, {latest.score:.1f} on {latest.date:%-d %b %Y} (day {latest.day}, the latest "
        f"follow-up): {latest.change}. {rule}"
    )
    basis = _basis(points)
    if latest.meaningful:
        return evidence(
            base, points, FunctionSuggestion.IMPROVED, f"{text} Suggests: improved.", basis
        )
    return evidence(
        base, points, FunctionSuggestion.NOT_IMPROVED, f"{text} Suggests: not improved.", basis
    )


def _basis(points: list[InterferencePoint]) -> str:
    """Why the suggestion reads the follow-up it reads, and how the others compare."""
    latest = points[-1]
    text = (
        f"The suggestion reads the latest follow-up (day {latest.day}): function must still "
        "be better when it is read, not only at some point since the session."
    )
    earlier = [p.day for p in points[:-1] if p.meaningful != latest.meaningful]
    if earlier:
        days = ", ".join(str(day) for day in earlier)
        was = "meaningful" if not latest.meaningful else "not meaningful"
        now = "is not" if not latest.meaningful else "is"
        text += f" Earlier follow-ups (day {days}) were {was}; the latest {now}."
    return text


def function_reading_agrees(suggestion: str, improved: bool) -> bool | None:
    """Whether the clinician's reading of function agrees with the PEG suggestion: None
    when the evidence suggests nothing (the reading then rests on the clinician alone).

    Source: Taut's (software suggests, the clinician decides and documents a departure);
    the suggestion is :func:`function_evidence` [S34], [S36], [S50].
    """
    if improved not in (True, False):
        raise ValueError(f"improved: must be True or False, got {improved!r}")
    suggestion = FunctionSuggestion(suggestion)
    if suggestion is FunctionSuggestion.UNKNOWN:
        return None
    return improved is (suggestion is FunctionSuggestion.IMPROVED)
