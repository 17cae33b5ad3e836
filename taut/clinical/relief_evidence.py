"""Relief evidence for a repeat session: is the relief after the last session honest
evidence that it lasted?

The LCDs' documentation note (DL39662 / DL39671, posted 2023-10-26) asks for "the specific
dates the measurements were obtained using the SAME pain scale used at baseline" [S51], and a
repeat needs ≥ 50 % relief of the index pain for ≥ 6 weeks [S49]. So the baseline and the
follow-ups must be the same question on the same scale, each dated the day it was obtained
(answered, not due), the baseline obtained before the injection. Expected post-injection
soreness in the first three days [S10], [S13] does not end the relief
(``outcomes.relief_duration``).

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

import math
from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType

from taut.clinical import outcomes

VERSION = "2026.1"

# The pain questions Taut scores relief on, each the question and its 0–10 scale: a
# baseline and its follow-ups compare only when they are the same question on the same
# scale [S51]. Other strings are accepted and shown as given.
SCALE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "nrs": "0–10 pain scale",
        "vas": "visual analogue scale",
        "index_pain_now": "index pain right now, 0–10",
        "average_pain_week": "average pain in the past week, 0–10",
    }
)


# Which of Taut's questions the payer's relief rule compares: the intake's "How bad is your
# pain right now?" (``nrs_now``) and the check-in's "How bad is the pain we are treating,
# right now?" (``checkins.NRS``) are the same question on the same 0–10 scale; the intake's
# past-week average (``nrs_average``) matches the check-in's PEG pain item instead. The LCD
# asks for relief "using the SAME pain scale used at baseline" [S51].
INTAKE_SCALES: Mapping[str, str] = MappingProxyType(
    {"nrs_now": "index_pain_now", "nrs_average": "average_pain_week"}
)
CHECKIN_SCALES: Mapping[str, str] = MappingProxyType(
    {"nrs": "index_pain_now", "peg_pain": "average_pain_week"}
)
RELIEF_BASELINE = "nrs_now"  # the intake question a session's baseline is read from
RELIEF_FOLLOWUP = "nrs"  # the check-in question its follow-ups are read from


def scale_label(scale: str) -> str:
    """The words for a pain question and scale. Not a rule: a label lookup."""
    return SCALE_LABELS.get(scale, scale.replace("_", " "))


def relief_evidence(
    *,
    session_date: date,
    baseline: float | None,
    baseline_date: date | None,
    scale: str,
    followup_scale: str,
    followups: Sequence[tuple[date, float]],
    percent: float,
    days: int,
    same_scale: bool,
) -> tuple[bool | None, str]:
    """Whether relief after a session met ``percent`` for ``days``, with the reason (None:
    unknown, the evidence to decide is missing).

    Fails when ``same_scale`` and the follow-ups asked another question or scale than the
    baseline. Unknown without a baseline, without the day it was obtained, with one obtained
    after the session, with a baseline of 0, without follow-ups, with only soreness-day
    scores, or when relief held at every score but the last is before ``days``. Otherwise
    the run of ``outcomes.relief_duration`` (soreness in the first 3 days set aside) is
    compared with ``days``. The text names each score's date obtained.
    Source: [S49], [S51] (≥ 50 % for 6 weeks; dates obtained, same scale as baseline);
    [S10], [S13] (soreness). Status: secondary (same scale and dates verified in [S51]);
    setting soreness aside is Taut's.
    """
    when = session_date
    if same_scale and followup_scale != scale:
        return False, (
            f"Follow-ups after {when} asked {scale_label(followup_scale)!r} but the baseline "
            f"asked {scale_label(scale)!r}; relief must be measured with the same question "
            "on the same scale as baseline."
        )
    if baseline is None:
        return None, f"No baseline pain score for the session on {when}."
    if baseline_date is None:
        return None, (
            f"The day the baseline pain score for the session on {when} was obtained is not "
            "recorded; the LCD asks for the dates the measurements were obtained."
        )
    if baseline_date > when:
        return None, (
            f"The baseline pain score was obtained on {baseline_date}, after the session "
            f"on {when}: it is not a baseline. Record the score from before the injection."
        )
    if baseline == 0:
        return None, f"Baseline pain was 0 on {when}, so relief cannot be measured."
    if not followups:
        return None, f"No follow-up pain scores after {when}."
    start = f"baseline {baseline:g}/10 obtained {baseline_date} ({scale_label(scale)})"
    scores = "; ".join(
        f"{d} (day {(d - when).days}): {math.floor(outcomes.relief_percent(baseline, v))}%"
        for d, v in followups
    )
    run = outcomes.relief_duration(session_date=when, baseline=baseline, followups=followups)
    aside = ""
    if run.set_aside:
        aside = (
            f" Scores in the first {outcomes.SORENESS_DAYS} days below {percent:g}% are expected "
            "soreness and do not end the relief."
        )
    if run.days is None:  # only soreness-day scores
        return None, (
            f"Only scores from the first {outcomes.SORENESS_DAYS} days after {when} ({scores}), "
            f"when soreness is expected; record a later score ({start})."
        )
    rule = f"the policy needs {percent:g}% relief or more for {days} days ({days / 7:g} weeks)"
    if run.days < days and run.followups_counted + run.set_aside == len(followups):
        covered = (max(d for d, _ in followups) - when).days
        return None, (
            f"Relief held at every follow-up after {when} ({start}; scores obtained "
            f"{scores}), but the last is on day {covered}; {rule}. Record a score from day "
            f"{days} on.{aside}"
        )
    return run.days >= days, (
        f"Relief of {percent:g}% or more after {when} lasted {run.days} days ({start}; "
        f"scores obtained {scores}); {rule}.{aside}"
    )
