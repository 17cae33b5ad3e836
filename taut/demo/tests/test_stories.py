"""The demo's response stories, without a database: each kind of response holds whatever
the baseline pain and however the scores round."""

import random
from datetime import date, timedelta
from itertools import pairwise

import pytest

from taut.demo import stories

MRNS = [f"D{n:06d}" for n in range(1, 301)]


def _responses(name, index=0):
    """Session ``index`` of every planned patient with this story, across 300 MRNs."""
    for mrn in MRNS:
        plan = stories.plan_for(7, mrn)
        if plan.story.name == name and index < plan.count:
            yield stories.response(7, mrn, date(2026, 3, 2), index=index, plan=plan)


def test_it_draws_every_story_with_the_sessions_each_one_needs():
    """Every story appears; a non-responder or late responder has at least two sessions, so
    "reconsider" and "responded after several" can both be told."""
    plans = [stories.plan_for(2026, mrn) for mrn in MRNS]
    assert {p.story.name for p in plans} == set(stories.BY_NAME)
    assert all(p.count >= 2 for p in plans if p.story.name in {"none", "late"})
    assert all(p.count >= 1 for p in plans)


@pytest.mark.parametrize("baseline", range(1, 11))
def test_a_lasting_response_keeps_half_the_pain_away_from_day_1_to_week_6(baseline):
    """An early responder's first session and a late responder's last give at least 50 %
    relief at every check-in up to day 42, on any baseline (rounded in its favour)."""
    rng = random.Random(baseline)
    lasting = [*_responses("early"), *_responses("late", index=2)]
    assert lasting and all(r.lasting for r in lasting)
    for response in lasting:
        for day in (1, 3, 7, 14, 42):
            assert response.pain(baseline, day, rng) * 2 <= baseline


@pytest.mark.parametrize("baseline", range(1, 11))
def test_no_response_stays_under_30_percent_relief_at_two_weeks(baseline):
    """A non-responder's pain at day 14 is more than 70 % of the baseline, so two such
    sessions in a row read as "no response" to the next-step rule."""
    rng = random.Random(baseline)
    for response in _responses("none"):
        assert response.pain(baseline, 14, rng) > baseline * 0.7


def test_relief_rises_slowly_unless_lasting_and_wears_off_after_week_12():
    """Soreness blurs the first days of an ordinary response; any relief fades after week
    12 and is gone by about six months."""
    partial = next(_responses("partial"))
    assert partial.relief(1) < partial.relief(7) <= partial.relief(14)
    for response in [partial, next(_responses("early"))]:
        assert response.relief(84) < response.relief(42)
        assert response.relief(stories.GONE_BY_DAY) == 0


def test_session_days_are_weekdays_six_weeks_apart_before_today():
    """The plan's sessions fall on weekdays, at least 42 days apart, all before today; a
    given last day is kept (moved off a weekend)."""
    today = date(2026, 11, 29)  # a Sunday
    for mrn in MRNS:
        plan = stories.plan_for(2026, mrn)
        days = stories.session_days(plan, today)
        assert len(days) == plan.count
        assert all(day.weekday() < 5 and day < today for day in days)
        assert all((b - a).days >= 42 for a, b in pairwise(days))
    anchored = stories.session_days(plan, today, last=today - timedelta(days=7))
    assert anchored[-1] == date(2026, 11, 20)
