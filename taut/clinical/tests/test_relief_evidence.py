"""Honest relief evidence for a repeat: soreness in the first days does not end the relief,
the baseline and follow-ups are the same question on the same scale, and each score is
dated when it was obtained.

The LCD's documentation note (DL39662 / DL39671, posted 2023-10-26) [S51]: the record must
give "the specific dates the measurements were obtained using the SAME pain scale used at
baseline". Soreness: starts 2–8 h after [S10]; pain may recur or worsen 1–3 days after
[S13]. Source ids are those of docs/clinical-rules.md (shared/reference/clinical.md §9).
"""

from datetime import date, timedelta

import pytest

from taut.clinical.payer import (
    POLICIES,
    PlannedSession,
    SessionRecord,
    TreatmentHistory,
    repeat_eligibility,
)
from taut.clinical.relief_evidence import scale_label

LCD = POLICIES["L34211"]
SESSION = date(2026, 1, 5)
ON = date(2026, 4, 1)


def day(n: int) -> date:
    return SESSION + timedelta(days=n)


def relief(**changes):
    fields = {
        "date": SESSION,
        "sites": {"trapezius_upper"},
        "baseline": 8,
        "baseline_date": SESSION,
        "followups": ((day(14), 3), (day(42), 4)),
        "functional_improvement": True,
    }
    record = SessionRecord(**{**fields, **changes})
    history = TreatmentHistory(
        sessions=(record,),
        planned=PlannedSession(sites={"trapezius_upper"}, conservative_programme_active=True),
    )
    return next(
        c for c in repeat_eligibility(history, on=ON, policy=LCD).checks if c.code == "relief"
    )


CASES = [
    # (changes, passed); baseline 8: 3 → 62 %, 4 → 50 %, 7 → 12 %, 8 → 0 %.
    ({}, True),
    # The day-1 and day-3 check-ins report soreness: set aside, relief still lasted 42 days.
    ({"followups": ((day(1), 8), (day(3), 7), (day(14), 3), (day(42), 4))}, True),
    # Day 4 is past the soreness days [S13]: pain back at 7 ends the run.
    ({"followups": ((day(4), 7), (day(14), 3), (day(42), 4))}, False),
    # Only soreness-day scores: unknown, never a fail or a pass.
    ({"followups": ((day(1), 8), (day(2), 8))}, None),
    # Baseline on another question (average pain in the past week) than the follow-ups
    # (pain right now): not the same scale [S51].
    ({"scale": "average_pain_week", "followup_scale": "index_pain_now"}, False),
    ({"scale": "index_pain_now", "followup_scale": "index_pain_now"}, True),
    # Baseline not dated: the LCD asks for the dates the measurements were obtained [S51].
    ({"baseline_date": None}, None),
    # A "baseline" obtained after the injection is not a baseline.
    ({"baseline_date": day(1)}, None),
    # Obtained before the visit day (a pre-visit intake) is a baseline.
    ({"baseline_date": day(-3)}, True),
]


@pytest.mark.parametrize(("changes", "passed"), CASES)
def test_it_reads_relief_evidence_honestly(changes, passed):
    assert relief(**changes).passed is passed


def test_it_says_soreness_was_set_aside():
    check = relief(followups=((day(1), 8), (day(14), 3), (day(42), 4)))
    assert "first 3 days below 50% are expected soreness" in check.text
    assert "S13" in check.source


def test_it_states_the_dates_each_score_was_obtained():
    check = relief(baseline_date=day(-2), followups=((day(15), 3), (day(44), 4)))
    assert "baseline 8/10 obtained 2026-01-03" in check.text
    assert "scores obtained 2026-01-20 (day 15): 62%; 2026-02-18 (day 44): 50%" in check.text


def test_it_names_the_questions_in_words_not_ids():
    check = relief(scale="average_pain_week", followup_scale="index_pain_now")
    assert "'index pain right now, 0–10'" in check.text
    assert "average_pain_week" not in check.text
    assert scale_label("some_other_scale") == "some other scale"


def test_the_payer_compares_the_same_question_on_the_same_scale():
    """Baseline: the intake's "right now" score; follow-ups: the check-in's "right now"
    score of the pain being treated, both 0–10 with the same end words [S51]."""
    from taut.clinical import checkins, intake
    from taut.clinical import relief_evidence as rules

    baseline = next(q for q in intake.PAIN_ITEMS if q.id == rules.RELIEF_BASELINE)
    assert checkins.NRS.id == rules.RELIEF_FOLLOWUP
    assert (
        rules.INTAKE_SCALES[rules.RELIEF_BASELINE] == (rules.CHECKIN_SCALES[rules.RELIEF_FOLLOWUP])
    )
    assert "right now" in baseline.prompt and "right now" in checkins.NRS.prompt
    assert (baseline.scale, baseline.low, baseline.high) == (
        checkins.NRS.scale,
        checkins.NRS.low,
        checkins.NRS.high,
    )
    # The past-week average is another question: never the payer's baseline.
    assert rules.INTAKE_SCALES["nrs_average"] != rules.CHECKIN_SCALES[rules.RELIEF_FOLLOWUP]
