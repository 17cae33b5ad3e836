"""Follow-up schedule and next step: taut.clinical.schedule. Sources: clinical.md §3, §5, §7c."""

import itertools
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taut.clinical.payer import POLICIES, PlannedSession, SessionRecord, TreatmentHistory
from taut.clinical.schedule import (
    CLINIC_POLICY_NOTE,
    VERSION,
    Action,
    Checkpoint,
    FollowupPlan,
    followups,
    next_step,
    two_week_relief,
)

LCD = POLICIES["L34211"]
NECK = {"trapezius_upper"}
GOALS = ("Sleep through the night", "Carry the shopping home")


def session(day: date, *scores, baseline=10, **changes) -> SessionRecord:
    """A neck session with ``(day offset, score)`` follow-ups on the 0–10 NRS."""
    points = tuple((day + timedelta(days=offset), value) for offset, value in scores)
    fields = {
        "date": day,
        "sites": NECK,
        "baseline": baseline,
        "baseline_date": day,
        "followups": points,
        "functional_improvement": True,
    }
    return SessionRecord(**{**fields, **changes})


def history(*sessions, programme=True) -> TreatmentHistory:
    planned = PlannedSession(sites=NECK, conservative_programme_active=programme)
    return TreatmentHistory(sessions=sessions, planned=planned)


# -- Follow-up plan -------------------------------------------------------------


@pytest.mark.parametrize(
    ("session_date", "expected"),
    [
        # Default plan (clinic policy): day 1, day 3, week 1, week 2, week 6, week 12.
        (
            date(2025, 12, 20),  # crosses the year end
            [
                date(2025, 12, 21),
                date(2025, 12, 23),
                date(2025, 12, 27),
                date(2026, 1, 3),
                date(2026, 1, 31),
                date(2026, 3, 14),
            ],
        ),
        (
            date(2026, 1, 31),  # crosses month ends, February of a common year
            [
                date(2026, 2, 1),
                date(2026, 2, 3),
                date(2026, 2, 7),
                date(2026, 2, 14),
                date(2026, 3, 14),
                date(2026, 4, 25),
            ],
        ),
        (
            date(2028, 2, 28),  # leap year
            [
                date(2028, 2, 29),
                date(2028, 3, 2),
                date(2028, 3, 6),
                date(2028, 3, 13),
                date(2028, 4, 10),
                date(2028, 5, 22),
            ],
        ),
    ],
)
def test_it_lists_the_default_plan_dates_across_month_and_year_ends(session_date, expected):
    dates = followups(session_date)
    assert [d.date for d in dates] == expected
    assert [d.key for d in dates] == ["day_1", "day_3", "week_1", "week_2", "week_6", "week_12"]
    assert [d.offset_days for d in dates] == [1, 3, 7, 14, 42, 84]


def test_it_follows_a_clinic_plan():
    plan = FollowupPlan((Checkpoint("day_2", 2, "Day 2"), Checkpoint("month_3", 90, "Month 3")))
    dates = followups(date(2026, 1, 1), plan)
    assert [(d.key, d.label, d.date) for d in dates] == [
        ("day_2", "Day 2", date(2026, 1, 3)),
        ("month_3", "Month 3", date(2026, 4, 1)),
    ]


@pytest.mark.parametrize(
    "checkpoints",
    [
        (),
        (Checkpoint("day_0", 0, "Same day"),),  # offsets must be positive
        (Checkpoint("back", -1, "Before"),),
        (Checkpoint("a", 1, "A"), Checkpoint("a", 2, "A again")),  # unique keys
        (Checkpoint("a", 3, "A"), Checkpoint("b", 3, "B")),  # unique offsets
        (Checkpoint("b", 7, "B"), Checkpoint("a", 3, "A")),  # sorted
        (Checkpoint("Week 1", 7, "Week 1"),),  # keys are identifiers
        (Checkpoint("a", 1.5, "A"),),
    ],
)
def test_it_rejects_an_invalid_plan(checkpoints):
    with pytest.raises(ValueError, match="checkpoints"):
        FollowupPlan(checkpoints)


def test_it_rejects_a_datetime_session_date():
    with pytest.raises(ValueError, match="session_date"):
        followups(datetime(2026, 1, 1, 9, 30))


@st.composite
def plans(draw):
    offsets = sorted(draw(st.sets(st.integers(1, 400), min_size=1, max_size=8)))
    return FollowupPlan(tuple(Checkpoint(f"day_{o}", o, f"Day {o}") for o in offsets))


@settings(max_examples=100, deadline=None)
@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), plans())
def test_it_gives_strictly_increasing_dates_all_after_the_session(session_date, plan):
    dates = [d.date for d in followups(session_date, plan)]
    assert all(d > session_date for d in dates)
    assert all(a < b for a, b in itertools.pairwise(dates))


# -- Relief at two weeks ------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "percent", "day"),
    [
        # Relief at two weeks: the follow-up closest to day 14 within days 10-21 (clinic
        # policy); relief as percent change of the NRS (IMMPACT, S34).
        (((14, 7),), 30, 14),
        (((10, 2), (13, 6), (20, 1)), 40, 13),  # closest to day 14 wins
        (((12, 6), (16, 1)), 40, 12),  # a tie goes to the earlier day
        (((14, 5), (14, 8)), 20, 14),  # two scores on one day: the worse counts
        (((10, 7),), 30, 10),  # window edges are inclusive
        (((21, 7),), 30, 21),
    ],
)
def test_it_measures_relief_at_the_follow_up_closest_to_two_weeks(scores, percent, day):
    start = date(2026, 1, 5)
    relief = two_week_relief(session(start, *scores), today=date(2026, 6, 1))
    assert relief.percent == percent
    assert relief.followup_date == start + timedelta(days=day)
    assert relief.responded is (percent >= 30)


@pytest.mark.parametrize(
    ("scores", "today", "phrase"),
    [
        (((9, 2), (22, 2)), date(2026, 6, 1), "no pain score between 15 Jan 2026 and 26 Jan 2026"),
        ((), date(2026, 1, 12), "not due until 15 Jan 2026"),
        ((), date(2026, 1, 20), "due by 26 Jan 2026"),
    ],
)
def test_it_reports_unknown_two_week_relief_without_guessing(scores, today, phrase):
    relief = two_week_relief(session(date(2026, 1, 5), *scores), today=today)
    assert relief.percent is None and relief.responded is None
    assert phrase in relief.text


@pytest.mark.parametrize(
    ("changes", "phrase"),
    [
        ({"baseline": None}, "no baseline"),
        ({"baseline": 0}, "baseline pain was 0"),
        ({"followup_scale": "vas"}, "same scale"),  # LCD: same scale as baseline, S51
    ],
)
def test_it_does_not_measure_relief_without_a_usable_baseline(changes, phrase):
    relief = two_week_relief(session(date(2026, 1, 5), (14, 3), **changes), today=date(2026, 6, 1))
    assert relief.responded is None
    assert phrase in relief.text


# -- Next step ----------------------------------------------------------------


def test_it_advises_a_repeat_when_the_payer_allows_it():
    # LCD: 50 % relief for 6 weeks, 6 weeks since the last injection: S49, S51.
    advice = next_step(
        history(session(date(2026, 1, 5), (14, 5), (42, 5), baseline=10)),
        GOALS,
        today=date(2026, 2, 16),
        policy=LCD,
    )
    assert advice.action == Action.REPEAT
    assert advice.repeat.eligible
    assert advice.goals == GOALS
    assert not advice.clinic_policy
    assert advice.version == VERSION
    assert [r.code for r in advice.reasons] == ["two_week", "repeat_eligible"]


def test_it_advises_continuing_until_the_payer_allows_a_repeat():
    advice = next_step(
        history(session(date(2026, 1, 5), (14, 5), (42, 5))),
        GOALS,
        today=date(2026, 2, 15),
        policy="L34211",
    )
    assert advice.action == Action.CONTINUE
    assert "repeat.interval_same_region" in {r.code for r in advice.reasons}
    assert any("the earliest date is 2026-02-16" in r.text for r in advice.reasons)
    assert advice.goals == GOALS


def test_it_advises_continuing_and_names_unknown_payer_data():
    advice = next_step(
        history(session(date(2026, 1, 5), (14, 5)), programme=None),
        GOALS,
        today=date(2026, 3, 2),
        policy=LCD,
    )
    assert advice.action == Action.CONTINUE
    codes = {r.code for r in advice.reasons}
    assert {"repeat.relief", "repeat.conservative_programme"} <= codes


def test_it_advises_reconsidering_after_two_sessions_without_thirty_percent():
    # "Stop after 2-3 unsuccessful injections" (AAFP 2002, S1) is unverified: clinic policy.
    sessions = (
        session(date(2026, 1, 5), (14, 8)),  # 20 %
        session(date(2026, 3, 2), (14, 7.5)),  # 25 %
    )
    advice = next_step(history(*sessions), GOALS, today=date(2026, 4, 1), policy=LCD)
    assert advice.action == Action.RECONSIDER
    assert advice.clinic_policy is True
    assert advice.clinic_policy_note == CLINIC_POLICY_NOTE
    (reason,) = advice.reasons
    assert reason.status == "unverified"
    assert "5 Jan 2026: 20% relief" in reason.text and "2 Mar 2026: 25% relief" in reason.text
    assert advice.goals == GOALS


def test_it_counts_consecutive_failures_from_the_latest_session():
    sessions = (
        session(date(2025, 10, 6), (14, 8)),
        session(date(2026, 1, 5), (14, 8)),
        session(date(2026, 3, 2), (14, 5)),  # the latest worked: 50 %
    )
    advice = next_step(history(*sessions), GOALS, today=date(2026, 4, 1), policy=LCD)
    assert advice.action != Action.RECONSIDER


def test_it_lets_the_clinic_set_how_many_failures_trigger_reconsider():
    sessions = (session(date(2026, 1, 5), (14, 8)), session(date(2026, 3, 2), (14, 8)))
    advice = next_step(
        history(*sessions), GOALS, today=date(2026, 4, 1), policy=LCD, reconsider_after=3
    )
    assert advice.action == Action.CONTINUE


def test_it_says_when_there_is_not_enough_data_to_decide():
    sessions = (
        session(date(2026, 1, 5), (14, 8)),  # 20 %
        session(date(2026, 3, 2)),  # no score in days 10-21
    )
    advice = next_step(history(*sessions), GOALS, today=date(2026, 4, 1), policy=LCD)
    assert advice.action == Action.NEEDS_DATA
    (reason,) = advice.reasons
    assert reason.code == "two_week_unknown"
    assert "no pain score between 12 Mar 2026 and 23 Mar 2026" in reason.text
    assert advice.repeat is None


def test_it_says_a_two_week_score_is_not_due_yet():
    sessions = (session(date(2026, 1, 5), (14, 8)), session(date(2026, 3, 30)))
    advice = next_step(history(*sessions), GOALS, today=date(2026, 4, 1), policy=LCD)
    assert advice.action == Action.NEEDS_DATA
    assert "not due until 9 Apr 2026" in advice.reasons[0].text


def test_it_continues_when_there_are_no_sessions_yet():
    advice = next_step(history(), [], today=date(2026, 4, 1), policy=LCD)
    assert advice.action == Action.CONTINUE
    assert advice.reasons[0].code == "no_sessions"
    assert advice.goals == ()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"goals": "Sleep better"}, "goals"),
        ({"today": datetime(2026, 4, 1, 9, 0)}, "today"),
        ({"reconsider_after": 0}, "reconsider_after"),
        ({"responder_percent": 0}, "responder_percent"),
        ({"window": (15, 21)}, "window"),
        ({"policy": "unknown"}, "policy"),
    ],
)
def test_it_rejects_bad_arguments_naming_them(kwargs, field):
    arguments = {"goals": GOALS, "today": date(2026, 4, 1), "policy": LCD, **kwargs}
    goals = arguments.pop("goals")
    with pytest.raises(ValueError, match=field):
        next_step(history(session(date(2026, 1, 5), (14, 8))), goals, **arguments)
