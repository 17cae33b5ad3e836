"""PEG function-interference evidence after a session, and what it suggests.

Sources are the ids of docs/clinical-rules.md (shared/reference/clinical.md §9): the PEG's
items 2–3 are BPI interference items [S36]; IMMPACT counts a 1-point fall in BPI
interference as minimally important [S34]; the L36859 summary asks for ≥ 50 % functional
improvement [S50]. Applying them to the PEG's two items is Taut's reading (unverified).
"""

import re
from datetime import date, datetime, timedelta

import pytest

from taut.clinical import outcomes
from taut.clinical.outcomes import (
    FunctionSuggestion,
    function_evidence,
    function_reading_agrees,
    peg_interference,
)

DAY = date(2026, 1, 5)


def on(days):
    return DAY + timedelta(days=days)


@pytest.mark.parametrize(
    ("enjoyment", "activity", "expected"),
    [(5, 6, 5.5), (0, 0, 0), (10, 10, 10), (3, 4, 3.5), (7.5, 2.5, 5)],
)
def test_it_averages_the_two_interference_items(enjoyment, activity, expected):
    """PEG items 2 (enjoyment of life) and 3 (general activity) [S36]."""
    assert peg_interference(enjoyment, activity) == expected


SUGGESTION_CASES = [
    # (baseline items, follow-ups (day, enjoyment, activity), suggestion, latest change)
    # Exactly 50 % and ≥ 1 point: meaningful [S34], [S50].
    ((6, 6), [(42, 3, 3)], "improved", "3.0 points (50 %) lower"),
    # 5.5 → 3.0: 2.5 points but 45 %: not enough percent [S50].
    ((5, 6), [(42, 3, 3)], "not_improved", "2.5 points (45 %) lower"),
    # 1.5 → 0.5: 67 % but 1 point exactly: meaningful; 1 → 0.5 is only half a point [S34].
    ((1, 2), [(42, 0, 1)], "improved", "1.0 point (66 %) lower"),
    ((1, 1), [(42, 0, 1)], "not_improved", "0.5 points (50 %) lower"),
    # Worse and unchanged are not improved.
    ((5, 6), [(42, 6, 7)], "not_improved", "1.0 point (18 %) higher"),
    ((5, 6), [(42, 5, 6)], "not_improved", "unchanged"),
    # The latest follow-up decides: better at two weeks, back up at six.
    ((8, 8), [(14, 2, 2), (42, 6, 6)], "not_improved", "2.0 points (25 %) lower"),
    ((8, 8), [(14, 6, 6), (42, 2, 2)], "improved", "6.0 points (75 %) lower"),
    # Given out of order: sorted by date first.
    ((8, 8), [(42, 2, 2), (14, 6, 6)], "improved", "6.0 points (75 %) lower"),
    # Two on the last day: the worse one counts (conservative).
    ((8, 8), [(42, 2, 2), (42, 5, 5)], "not_improved", "3.0 points (37 %) lower"),
    # A same-day score is day 0 and counts.
    ((8, 8), [(0, 2, 2)], "improved", "6.0 points (75 %) lower"),
]


@pytest.mark.parametrize(("baseline", "followups", "suggestion", "change"), SUGGESTION_CASES)
def test_it_suggests_from_the_latest_follow_up(baseline, followups, suggestion, change):
    evidence = function_evidence(
        session_date=DAY,
        baseline=baseline,
        followups=[(on(d), e, a) for d, e, a in followups],
    )
    assert evidence.suggestion == suggestion
    assert evidence.followups[-1].change == change
    assert f"{change}." in evidence.text
    assert evidence.text.endswith(f"Suggests: {suggestion.replace('_', ' ')}.")
    assert (evidence.source, evidence.status) == ("S34, S36, S50", "unverified")


def test_it_gives_each_follow_up_its_change_in_points_and_percent():
    evidence = function_evidence(
        session_date=DAY, baseline=(5, 6), followups=[(on(14), 3, 4), (on(42), 2, 3)]
    )
    assert evidence.baseline == 5.5
    first, last = evidence.followups
    assert (first.day, first.score, first.fall_points, first.meaningful) == (14, 3.5, 2.0, False)
    assert first.fall_percent == pytest.approx(36.36, abs=0.01)
    assert (last.day, last.score, last.fall_points, last.meaningful) == (42, 2.5, 3.0, True)
    assert evidence.text == (
        f"Interference (PEG enjoyment and activity) 5.5 at intake, 2.5 on {on(42):%-d %b %Y} (day 42, "
        "the latest follow-up): 3.0 points (54 %) lower. A fall of ≥ 1 point and ≥ 50 % "
        "suggests improved function. Suggests: improved."
    )


@pytest.mark.parametrize(
    ("baseline", "followups", "text"),
    [
        (None, [(14, 2, 2)], "No PEG interference at intake."),
        ((5, 6), [], "5.5 at intake; no follow-up PEG yet."),
        ((0, 0), [(42, 0, 0)], "0.0 at intake: no interference to improve on this scale."),
    ],
)
def test_it_suggests_nothing_without_something_to_compare(baseline, followups, text):
    evidence = function_evidence(
        session_date=DAY, baseline=baseline, followups=[(on(d), e, a) for d, e, a in followups]
    )
    assert evidence.suggestion is FunctionSuggestion.UNKNOWN
    assert evidence.text.endswith(text)


def test_it_marks_no_percent_when_the_baseline_is_zero():
    evidence = function_evidence(session_date=DAY, baseline=(0, 0), followups=[(on(7), 1, 1)])
    point = evidence.followups[0]
    assert point.fall_percent is None and not point.meaningful
    assert point.change == "1.0 point higher"


@pytest.mark.parametrize(
    ("percent", "min_points", "suggestion"),
    [
        (30, 1, "improved"),  # a clinic that counts ≥ 30 %: 5.5 → 3.5 is 36 %
        (50, 1, "not_improved"),  # the default
        (30, 2.5, "not_improved"),  # 2 points is below a 2.5-point floor
        (30, 0, "improved"),
    ],
)
def test_it_takes_the_thresholds_as_parameters(percent, min_points, suggestion):
    evidence = function_evidence(
        session_date=DAY,
        baseline=(5, 6),
        followups=[(on(42), 3, 4)],
        percent=percent,
        min_points=min_points,
    )
    assert evidence.suggestion == suggestion
    assert (evidence.percent, evidence.min_points) == (percent, min_points)


def test_it_defaults_to_the_conservative_thresholds():
    """≥ 1 point [S34] and ≥ 50 % [S50], the stricter of the figures the reference gives."""
    assert (outcomes.FUNCTION_MIN_POINTS, outcomes.FUNCTION_PERCENT) == (1, 50)
    evidence = function_evidence(session_date=DAY, baseline=(5, 6), followups=[])
    assert (evidence.min_points, evidence.percent) == (1, 50)


def test_it_stores_as_plain_values():
    evidence = function_evidence(session_date=DAY, baseline=(5, 6), followups=[(on(42), 2, 3)])
    stored = evidence.as_dict()
    assert stored["suggestion"] == "improved" and stored["baseline"] == 5.5
    assert stored["followups"][0]["date"] == on(42).isoformat()
    assert stored["followups"][0]["change"] == "3.0 points (54 %) lower"
    assert stored["version"] == outcomes.VERSION and stored["percent"] == 50


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"baseline": (11, 0)}, "baseline.enjoyment: must be from 0 to 10"),
        ({"baseline": (5,)}, "baseline: expected (enjoyment, activity)"),
        ({"followups": [(DAY, 3)]}, "followups[0]: expected (date, enjoyment, activity)"),
        ({"followups": [(DAY, 3, -1)]}, "followups[0].activity: must be from 0 to 10"),
        ({"followups": [(DAY - timedelta(1), 3, 3)]}, "is before session_date"),
        ({"followups": [(datetime(2026, 2, 1), 3, 3)]}, "expected a date (not a datetime)"),
        ({"followups": "day 42: 3"}, "followups: expected a list"),
        ({"percent": 0}, "percent: must be above 0"),
        ({"percent": 101}, "percent: must be above 0 and at most 100"),
        ({"percent": True}, "percent: expected a number"),
        ({"min_points": -1}, "min_points: must be from 0 to 10"),
        ({"session_date": "2026-01-05"}, "session_date: expected a date"),
    ],
)
def test_it_refuses_bad_input_with_the_field_named(kwargs, message):
    args = {"session_date": DAY, "baseline": (5, 6), "followups": [], **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        function_evidence(**args)


@pytest.mark.parametrize(
    ("suggestion", "improved", "agrees"),
    [
        ("improved", True, True),
        ("improved", False, False),
        ("not_improved", False, True),
        ("not_improved", True, False),
        ("unknown", True, None),
        ("unknown", False, None),
    ],
)
def test_it_says_whether_a_reading_agrees_with_the_suggestion(suggestion, improved, agrees):
    assert function_reading_agrees(suggestion, improved) is agrees


@pytest.mark.parametrize(("suggestion", "improved"), [("better", True), ("improved", None)])
def test_it_refuses_an_unknown_suggestion_or_reading(suggestion, improved):
    with pytest.raises(ValueError):
        function_reading_agrees(suggestion, improved)


# Which follow-up the suggestion reads, and what the card says when rows read otherwise.
BASIS_CASES = [
    # One follow-up: it decides, nothing to contrast.
    ([(42, 2, 2)], "improved", 42, ""),
    # Meaningful at week 2, not at week 6: the card's rows say "meaningful" above "not
    # improved", and the basis names the earlier day.
    ([(14, 2, 2), (42, 6, 6)], "not_improved", 42, "Earlier follow-ups (day 14) were meaningful"),
    # The other way round.
    ([(14, 6, 6), (42, 2, 2)], "improved", 42, "Earlier follow-ups (day 14) were not meaningful"),
    # Two meaningful, then back up at week 12.
    (
        [(14, 2, 2), (42, 2, 2), (84, 7, 7)],
        "not_improved",
        84,
        "Earlier follow-ups (day 14, 42) were meaningful; the latest is not.",
    ),
    # Two on the last day: the worse one decides.
    ([(42, 2, 2), (42, 5, 5)], "not_improved", 42, "the latest is not"),
]


@pytest.mark.parametrize(("followups", "suggestion", "day", "contrast"), BASIS_CASES)
def test_it_says_which_follow_up_the_suggestion_reads(followups, suggestion, day, contrast):
    evidence = function_evidence(
        session_date=DAY, baseline=(8, 8), followups=[(on(d), e, a) for d, e, a in followups]
    )
    assert evidence.suggestion == suggestion
    deciding = [p for p in evidence.followups if p.decides]
    assert len(deciding) == 1 and deciding[0] is evidence.followups[-1]
    assert deciding[0].day == day
    assert evidence.basis.startswith(f"The suggestion reads the latest follow-up (day {day})")
    assert (contrast in evidence.basis) if contrast else ("Earlier" not in evidence.basis)
    # The verdict agrees with the row it reads.
    assert deciding[0].meaningful is (suggestion == "improved")


def test_it_has_no_basis_without_follow_ups():
    evidence = function_evidence(session_date=DAY, baseline=(5, 6), followups=[])
    assert evidence.basis == "" and evidence.followups == ()
