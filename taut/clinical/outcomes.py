"""Measuring response to treatment: pain relief, IMMPACT classes, PEG, GAS and PGIC, and
the PEG function-interference evidence a clinician reads after a session.

Pain scores are on the 0–10 numerical rating scale (0 = no pain, 10 = worst possible pain).
Relief is compared with exact fractions, so boundaries such as 10 → 5 (exactly 50 %) land
in the class the guideline gives them; each float is read as the decimal it prints as.

``relief_percent`` and ``relief_duration_days`` are imported by the payer rules: keep
their signatures stable.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from taut.clinical.inputs import (
    member_of,
    read_between,
    read_collection,
    read_date,
    read_number,
)

VERSION = "2026.1"

NRS_MIN = 0
NRS_MAX = 10

# IMMPACT thresholds, percent reduction from baseline [S34].
SUBSTANTIAL_PERCENT = 50
MODERATE_PERCENT = 30
MINIMAL_PERCENT = 10
# The relief a payer counts as sustained (Medicare LCD: ≥ 50 % relief) [S49], [S51].
SUSTAINED_RELIEF_PERCENT = 50

# Function: the PEG's interference items (enjoyment of life, general activity) are BPI
# interference items [S36]. IMMPACT counts a 1-point fall in BPI interference as minimally
# important [S34]; the L36859 summary asks for >= 50 % functional improvement [S50]
# (secondary). Applying both to the mean of the two PEG items is Taut's reading.
FUNCTION_MIN_POINTS = 1
FUNCTION_PERCENT = 50
FUNCTION_SOURCE = "S34, S36, S50"

GAS_RHO = 0.3
GAS_SCORES = (-2, -1, 0, 1, 2)


def _nrs(value: object, field: str) -> Fraction:
    return read_between(value, field, NRS_MIN, NRS_MAX)


def _relief(baseline: object, value: object) -> Fraction:
    """Exact percent relief; refuses a zero baseline."""
    start = _nrs(baseline, "baseline")
    now = _nrs(value, "value")
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


def peg(pain: float, enjoyment: float, activity: float) -> float:
    """PEG score: the mean of three 0–10 items (average Pain, interference with Enjoyment
    of life, interference with General activity) (Krebs et al., JGIM 2009).

    Source: [S36] (items), [S36b] (mean). Status: items seen; the mean seen in a
    secondary source only. No validated severity bands are applied.
    """
    items = (_nrs(pain, "pain"), _nrs(enjoyment, "enjoyment"), _nrs(activity, "activity"))
    return float(sum(items) / 3)


def gas_t_score(
    scores: Iterable[int], weights: Iterable[float] | None = None, rho: float = GAS_RHO
) -> float:
    """Goal Attainment Scaling T-score (Kiresuk & Sherman 1968).

    ``T = 50 + 10·Σwᵢxᵢ / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²)`` with each score xᵢ in −2..+2 and
    weights wᵢ (default 1). T is 50 when every goal lands exactly as expected.
    Source: [S39] (formula), [S39b] (weights). Status: formula secondary; weights as
    importance × difficulty unverified (memory).
    """
    xs = list(read_collection(scores, "scores", "a list of goal scores"))
    if not xs:
        raise ValueError("scores: at least one goal is needed")
    for index, x in enumerate(xs):
        whole = isinstance(x, int) or (isinstance(x, float) and x.is_integer())
        if isinstance(x, bool) or not whole or int(x) not in GAS_SCORES:
            raise ValueError(f"scores[{index}]: expected a whole number from -2 to 2, got {x!r}")
    xs = [int(x) for x in xs]
    if weights is None:
        ws = [Fraction(1)] * len(xs)
    else:
        given = read_collection(weights, "weights", "a list of numbers")
        ws = [read_number(w, f"weights[{index}]") for index, w in enumerate(given)]
        if len(ws) != len(xs):
            raise ValueError(f"weights: {len(ws)} weights for {len(xs)} scores")
        for index, w in enumerate(ws):
            if w < 0:
                raise ValueError(f"weights[{index}]: must not be negative, got {w:g}")
    r = read_between(rho, "rho", 0, 1)
    total = sum(ws)
    if total == 0:
        raise ValueError("weights: at least one weight must be above 0")
    # T does not change when every weight is scaled alike; scaling to a largest weight of 1
    # keeps huge or tiny weights from overflowing the float square root.
    largest = max(ws)
    ws = [w / largest for w in ws]
    total = sum(ws)
    numerator = sum(w * x for w, x in zip(ws, xs, strict=True))
    variance = (1 - r) * sum(w * w for w in ws) + r * total * total
    return 50 + 10 * float(numerator) / math.sqrt(variance)


class PGIC(StrEnum):
    """The 7-point PGIC, IMMPACT / NINDS form: 1 = very much improved … 7 = very much worse."""

    VERY_MUCH_IMPROVED = "very_much_improved"
    MUCH_IMPROVED = "much_improved"
    MINIMALLY_IMPROVED = "minimally_improved"
    NO_CHANGE = "no_change"
    MINIMALLY_WORSE = "minimally_worse"
    MUCH_WORSE = "much_worse"
    VERY_MUCH_WORSE = "very_much_worse"


class PGICHurstBolton(StrEnum):
    """The 7-category PGIC in Hurst & Bolton's wording: 1 = no change … 7 = a great deal better."""

    NO_CHANGE_OR_WORSE = "no_change_or_worse"
    ALMOST_THE_SAME = "almost_the_same"
    A_LITTLE_BETTER = "a_little_better"
    SOMEWHAT_BETTER = "somewhat_better"
    MODERATELY_BETTER = "moderately_better"
    BETTER = "better"
    A_GREAT_DEAL_BETTER = "a_great_deal_better"


PGIC_IMPROVED = frozenset({PGIC.VERY_MUCH_IMPROVED, PGIC.MUCH_IMPROVED})
PGIC_HURST_BOLTON_IMPROVED = frozenset(
    {
        PGICHurstBolton.MODERATELY_BETTER,
        PGICHurstBolton.BETTER,
        PGICHurstBolton.A_GREAT_DEAL_BETTER,
    }
)
PGIC_IMMPACT: Mapping[PGIC, Immpact] = MappingProxyType(
    {
        PGIC.VERY_MUCH_IMPROVED: Immpact.SUBSTANTIAL,
        PGIC.MUCH_IMPROVED: Immpact.MODERATE,
        PGIC.MINIMALLY_IMPROVED: Immpact.MINIMAL,
        PGIC.NO_CHANGE: Immpact.NONE,
        PGIC.MINIMALLY_WORSE: Immpact.WORSE,
        PGIC.MUCH_WORSE: Immpact.WORSE,
        PGIC.VERY_MUCH_WORSE: Immpact.WORSE,
    }
)


def _pgic(category: object) -> PGIC | PGICHurstBolton:
    answer = member_of(PGIC, category) or member_of(PGICHurstBolton, category)
    if answer is not None:
        return answer
    known = ", ".join([*PGIC, *PGICHurstBolton])
    raise ValueError(f"category: unknown PGIC category {category!r}; known: {known}")


def pgic_improved(category: str) -> bool:
    """Whether a PGIC answer counts as clinically important improvement.

    IMMPACT / NINDS form: "much improved" or "very much improved" (Farrar 2001 used these
    as the clinically important difference). Hurst & Bolton wording: categories 5–7
    ("moderately better" and above), as trials often count them.
    Source: [S35] (Farrar), [S37] (NINDS scale), [S38] (Hurst & Bolton). Status: Farrar's
    choice and both scales' end labels seen; the NINDS middle labels ("minimally",
    "much worse") and the 5–7 convention are secondary.
    """
    answer = _pgic(category)
    return answer in PGIC_IMPROVED or answer in PGIC_HURST_BOLTON_IMPROVED


def pgic_immpact_category(category: str) -> Immpact:
    """IMMPACT class of a PGIC answer (IMMPACT / NINDS form only).

    Very much improved: substantial; much improved: moderate; minimally improved:
    minimal; no change: none; any "worse": worse.
    Source: [S34]. Status: seen, except that Bandolier's copy labels the moderate level
    "moderately improved"; "much improved" (the NINDS wording) is unverified.
    """
    answer = _pgic(category)
    if not isinstance(answer, PGIC):
        raise ValueError(
            f"category: {answer!r} is a Hurst & Bolton answer, which IMMPACT does not grade"
        )
    return PGIC_IMMPACT[answer]


@dataclass(frozen=True)
class ReliefDuration:
    """How long ≥ 50 % relief lasted after a session, and why."""

    days: int | None
    last_date: date | None
    followups_counted: int
    reason: str
    version: str = VERSION


def relief_duration(
    *, session_date: date, baseline: float, followups: Iterable[tuple[date, float]]
) -> ReliefDuration:
    """How long follow-ups stayed at ≥ 50 % relief after a session, with the reason.

    Follow-ups are ``(date, value)`` pairs on the baseline's 0–10 scale, dated on or after
    the session (a same-day score counts as day 0). In date order (on a shared date the
    worse score first), take the unbroken run of follow-ups at ≥ 50 % relief that starts
    with the first one. ``days`` is from the session date to the last follow-up of that
    run: a lower bound, since relief is not assumed to outlast the last score that shows
    it. ``days`` is 0 when the first follow-up is below 50 %, None when there are none.
    Source: [S49], [S51] (≥ 50 % relief with dated measurements, same scale). Status:
    seen / secondary; the run definition is Taut's.
    """
    start = read_date(session_date, "session_date")
    _relief(baseline, 0)  # validates the baseline even when there are no follow-ups
    items = read_collection(followups, "followups", "a list of (date, value)")
    scored = []
    for index, item in enumerate(items):
        field = f"followups[{index}]"
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise ValueError(f"{field}: expected (date, value), got {item!r}")
        when = read_date(item[0], f"{field}.date")
        if when < start:
            raise ValueError(f"{field}.date: {when} is before session_date {start}")
        relief = _relief(baseline, _nrs(item[1], f"{field}.value"))
        scored.append((when, relief))
    if not scored:
        return ReliefDuration(None, None, 0, "No follow-up scores: duration unknown.")
    scored.sort(key=lambda pair: (pair[0], pair[1]))
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
            f"below {SUSTAINED_RELIEF_PERCENT} %.",
        )
    days = (run[-1] - start).days
    return ReliefDuration(
        days,
        run[-1],
        len(run),
        f"{len(run)} follow-up(s) at ≥ {SUSTAINED_RELIEF_PERCENT} % relief, from the session "
        f"on {start} through {run[-1]}: {days} days.",
    )


def relief_duration_days(
    *, session_date: date, baseline: float, followups: Iterable[tuple[date, float]]
) -> int | None:
    """Days that follow-ups stayed at ≥ 50 % relief after a session (see :func:`relief_duration`).

    None when there are no follow-ups; 0 when the first is below 50 %.
    Source: [S49], [S51]. Status: seen / secondary; the run definition is Taut's.
    """
    return relief_duration(session_date=session_date, baseline=baseline, followups=followups).days


# -- Function: PEG interference after a session ---------------------------------------


def peg_interference(enjoyment: float, activity: float) -> float:
    """The PEG's function (interference) score: the mean of items 2 and 3, interference with
    enjoyment of life and with general activity, each 0–10 (Krebs et al., JGIM 2009).

    Source: [S36] (items, taken from the BPI interference scale). Status: items seen;
    averaging the two interference items alone is Taut's (as the PEG averages all three).
    """
    return float((_nrs(enjoyment, "enjoyment") + _nrs(activity, "activity")) / 2)


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
    source: str = FUNCTION_SOURCE
    status: str = "unverified"
    version: str = VERSION

    def as_dict(self) -> dict:
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
    baseline, no follow-up, or no interference at baseline to improve.
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
    items = read_collection(followups, "followups", "a list of (date, enjoyment, activity)")
    scored = []
    for index, item in enumerate(items):
        field = f"followups[{index}]"
        if not isinstance(item, tuple | list) or len(item) != 3:
            raise ValueError(f"{field}: expected (date, enjoyment, activity), got {item!r}")
        when = read_date(item[0], f"{field}.date")
        if when < start:
            raise ValueError(f"{field}.date: {when} is before session_date {start}")
        score = (_nrs(item[1], f"{field}.enjoyment") + _nrs(item[2], f"{field}.activity")) / 2
        scored.append((when, score))
    # Date order; on a shared date the worse (higher) score last, so it is "the latest".
    scored.sort()
    unit = "point" if need_points == 1 else "points"
    rule = (
        f"A fall of ≥ {float(need_points):g} {unit} and ≥ {float(need_percent):g} % suggests "
        "improved function."
    )

    def evidence(base, points, suggestion, text):
        return FunctionEvidence(
            baseline=None if base is None else float(base),
            followups=tuple(points),
            suggestion=suggestion,
            text=text,
            min_points=float(need_points),
            percent=float(need_percent),
        )

    if baseline is None:
        return evidence(None, (), FunctionSuggestion.UNKNOWN, "No PEG interference at intake.")
    if not isinstance(baseline, tuple | list) or len(baseline) != 2:
        raise ValueError(f"baseline: expected (enjoyment, activity), got {baseline!r}")
    base = (_nrs(baseline[0], "baseline.enjoyment") + _nrs(baseline[1], "baseline.activity")) / 2
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
    latest = points[-1]
    text = (
        f"{at_intake}, {latest.score:.1f} on {latest.date} (day {latest.day}, the latest "
        f"follow-up): {latest.change}. {rule}"
    )
    if latest.meaningful:
        return evidence(base, points, FunctionSuggestion.IMPROVED, f"{text} Suggests: improved.")
    return evidence(
        base, points, FunctionSuggestion.NOT_IMPROVED, f"{text} Suggests: not improved."
    )


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
