"""A clinic's own follow-up plan: taut.clinical.schedule.plan_from_days and plan_warnings.

The days are clinic policy; keys and labels are naming only. Warnings follow the two-week
relief window (clinic policy, [S34]) and the payers' lasting relief ([S49], [S51], [S56]).
"""

import pytest

from taut.clinical.checkins import Kind, questions
from taut.clinical.payer import POLICIES
from taut.clinical.schedule import (
    DEFAULT_PLAN,
    PLAN_MAX_CHECKINS,
    plan_days,
    plan_from_days,
    plan_warnings,
)


def test_it_makes_the_default_plan_from_the_default_days():
    """The default days give exactly the default checkpoints (keys, offsets, labels)."""
    plan = plan_from_days([1, 3, 7, 14, 42, 84])
    assert plan.checkpoints == DEFAULT_PLAN.checkpoints
    assert plan.name == "clinic"


@pytest.mark.parametrize(
    ("day", "key", "label"),
    [
        (1, "day_1", "Day 1"),
        (5, "day_5", "Day 5"),
        (7, "week_1", "Week 1"),
        (21, "week_3", "Week 3"),
        (30, "day_30", "Day 30"),
        (90, "day_90", "Day 90"),
        (364, "week_52", "Week 52"),
        (365, "day_365", "Day 365"),
    ],
)
def test_it_names_whole_weeks_as_weeks_and_other_days_as_days(day, key, label):
    (point,) = plan_from_days([day]).checkpoints
    assert (point.key, point.offset_days, point.label) == (key, day, label)


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ([], "at least one check-in"),
        ([0, 7], "day 0 is not after the session"),
        ([-3], "day -3 is not after the session"),
        ([3, 3, 14], "day 3 is listed twice"),
        ([14, 7], r"increasing order \(day 7 after 14\)"),
        ([1, 400], "day 400 is more than 365 days"),
        ([1.5], "1.5 is not a whole number"),
        ([True], "True is not a whole number"),
        (["7"], "'7' is not a whole number"),
        ("1,3,7", "give a list"),
        (list(range(1, PLAN_MAX_CHECKINS + 2)), f"at most {PLAN_MAX_CHECKINS} check-ins"),
    ],
)
def test_it_refuses_bad_days_naming_the_problem(days, message):
    with pytest.raises(ValueError, match=message):
        plan_from_days(days)


def test_it_lists_a_plans_days():
    assert plan_days(DEFAULT_PLAN) == [1, 3, 7, 14, 42, 84]
    assert plan_days(plan_from_days([2, 10, 30, 90])) == [2, 10, 30, 90]


def test_it_warns_of_nothing_for_the_default_plan_under_each_payer():
    """Day 14 is in the two-week window; day 84 outlasts every policy's relief period."""
    for policy in POLICIES:
        assert plan_warnings(DEFAULT_PLAN, policy=policy) == ()


@pytest.mark.parametrize(
    ("days", "in_window"),
    [([9, 42], False), ([22, 42], False), ([10, 42], True), ([21, 42], True)],
)
def test_it_warns_when_no_checkin_falls_in_the_two_week_window(days, in_window):
    """Relief at two weeks is read from days 10 to 21 inclusive (clinic policy, [S34])."""
    codes = [w.code for w in plan_warnings(plan_from_days(days))]
    assert ("no_two_week" not in codes) is in_window


def test_it_warns_when_the_plan_ends_before_the_payers_lasting_relief():
    """The LCD needs 50 % relief lasting six weeks before a repeat ([S49], [S51])."""
    (warning,) = plan_warnings(plan_from_days([3, 14, 28]), policy="L34211")
    assert warning.code == "payer_relief"
    assert "day 28" in warning.text and "42 days" in warning.text
    assert warning.source == POLICIES["L34211"].source
    assert plan_warnings(plan_from_days([3, 14, 42])) == ()


def test_it_refuses_something_that_is_not_a_plan():
    with pytest.raises(ValueError, match="plan"):
        plan_warnings([1, 3, 7])


@pytest.mark.parametrize(
    ("day", "soreness", "pgic", "gas"),
    [(2, True, False, False), (10, True, True, False), (30, False, True, False),
     (90, False, True, True)],
)  # fmt: skip
def test_it_asks_a_custom_plans_checkins_by_their_day(day, soreness, pgic, gas):
    """Soreness up to day 14, PGIC from day 7, GAS from day 42 (clinic policy)."""
    point = next(p for p in plan_from_days([2, 10, 30, 90]).checkpoints if p.offset_days == day)
    kinds = {q.kind for q in questions(point, sites=[], has_goals=True)}
    assert (Kind.SORENESS in kinds, Kind.PGIC in kinds, Kind.GAS in kinds) == (soreness, pgic, gas)
