"""Relief at two weeks: the relief (``outcomes.relief_percent``) at the follow-up closest to
day 14 within days 10–21 after the session, inclusive; on a tie the earlier day, and on one
day the worse score. No score in that window means unknown: never a guess.

Sources are the ids of ``../shared/reference/clinical.md`` §9.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from taut.clinical import outcomes, payer, relief_evidence
from taut.clinical.inputs import is_whole, read_date

TWO_WEEK_DAY = 14
TWO_WEEK_WINDOW = (10, 21)  # clinic policy: days after the session, inclusive
RESPONDER_PERCENT = outcomes.MODERATE_PERCENT  # 30 %: IMMPACT "moderately important" [S34]


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
        return unknown(
            f"Session on {when:%-d %b %Y}: no baseline pain score, so relief is unknown."
        )
    if session.baseline == 0:
        return unknown(f"Session on {when:%-d %b %Y}: baseline pain was 0, so relief is unknown.")
    if session.followup_scale != session.scale:
        return unknown(
            f"Session on {when:%-d %b %Y}: follow-ups asked "
            f"{relief_evidence.scale_label(session.followup_scale or session.scale)!r}, the baseline "
            f"{relief_evidence.scale_label(session.scale)!r}; relief needs the same scale (the same question)."
        )
    in_window = [(d, v) for d, v in session.followups if opens <= d <= closes]
    if not in_window:
        if today < opens:
            return unknown(
                f"Session on {when:%-d %b %Y}: the two-week score is not due until {opens:%-d %b %Y}."
            )
        if today <= closes:
            return unknown(
                f"Session on {when:%-d %b %Y}: the two-week score is due by {closes:%-d %b %Y}."
            )
        return unknown(
            f"Session on {when:%-d %b %Y}: no pain score between {opens:%-d %b %Y} and {closes:%-d %b %Y}."
        )
    chosen, value = min(
        in_window, key=lambda p: (abs((p[0] - when).days - TWO_WEEK_DAY), p[0], -p[1])
    )
    percent = outcomes.relief_percent(session.baseline, value)
    responded = percent >= threshold
    day = (chosen - when).days
    text = (
        f"Session on {when:%-d %b %Y}: {math.floor(percent)}% relief on {chosen:%-d %b %Y} (day {day}), "
        f"{'at least' if responded else 'less than'} {threshold:g}%."
    )
    return TwoWeekRelief(when, percent, chosen, responded, text)
