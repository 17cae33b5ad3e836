"""The first day a next-step decision is due: taut.clinical.schedule.next_step_due_from
agrees with next_step_due and next_step on every day from the last session on (clinic
policy, unverified; the payer checks as taut.clinical.payer)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taut.clinical import payer
from taut.clinical.schedule import (
    DEFAULT_PLAN,
    next_step,
    next_step_due,
    next_step_due_from,
    plan_from_days,
)

# A policy that lets a repeat through, so the bisection for its first day is exercised:
# the LCD's six-week interval and three sessions a year, without relief, function or
# programme requirements.
LAX = replace(
    payer.POLICIES["L34211"],
    id="lax",
    max_sessions_per_12_months=3,
    min_interval_days=42,
    required_relief_percent=None,
    required_relief_days=None,
    requires_functional_improvement=False,
    requires_conservative_programme=False,
    one_region_per_session=False,
)
POLICIES = [LAX, *payer.POLICIES.values()]
MUSCLES = ["trapezius_upper", "rhomboids", "quadratus_lumborum", "sternocleidomastoid"]
START = date(2023, 1, 1)  # covers 29 February 2024 in the rolling year


@st.composite
def facts(draw):
    """Sessions (with baselines, dated follow-up scores and function readings), the
    planned repeat, the clinic's policy and plan, and the decision since the last session."""
    offsets = sorted(draw(st.lists(st.integers(0, 700), min_size=1, max_size=4, unique=True)))
    sessions = []
    for offset in offsets:
        day = START + timedelta(days=offset)
        baseline = draw(st.none() | st.integers(0, 10))
        scores = draw(st.lists(st.tuples(st.integers(0, 120), st.integers(0, 10)), max_size=5))
        sessions.append(
            payer.SessionRecord(
                date=day,
                sites=frozenset(draw(st.sets(st.sampled_from(MUSCLES), min_size=1, max_size=2))),
                baseline=baseline,
                baseline_date=day,
                followups=tuple((day + timedelta(days=d), v) for d, v in scores),
                functional_improvement=draw(st.sampled_from([True, False, None])),
            )
        )
    last_session = sessions[-1].date + timedelta(days=draw(st.integers(0, 30)))
    planned = payer.PlannedSession(
        sites=sessions[-1].sites,
        conservative_programme_active=draw(st.sampled_from([True, False, None])),
    )
    decided = draw(st.booleans())
    review_on = (
        last_session + timedelta(days=draw(st.integers(1, 366)))
        if decided and draw(st.booleans())
        else None
    )
    days = draw(st.lists(st.integers(1, 120), min_size=1, max_size=6, unique=True))
    return {
        "history": payer.TreatmentHistory(sessions=tuple(sessions), planned=planned),
        "last_session": last_session,
        "decided": decided,
        "review_on": review_on,
        "plan": draw(st.sampled_from([DEFAULT_PLAN, plan_from_days(sorted(days))])),
        "policy": draw(st.sampled_from(POLICIES)),
        "reconsider_after": draw(st.integers(1, 3)),
    }


def due_on(today, *, history, last_session, decided, review_on, plan, policy, reconsider_after):
    """Today's answer, computed the way the worklist did: the advice on ``today``, then
    whether a decision is due on ``today``."""
    advice = next_step(history, (), today=today, policy=policy, reconsider_after=reconsider_after)
    return next_step_due(
        last_session=last_session,
        action=advice.action,
        today=today,
        decided=decided,
        review_on=review_on,
        plan=plan,
    ).due


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts(), st.lists(st.integers(0, 800), min_size=1, max_size=12))
def test_it_is_due_from_the_first_day_next_step_due_says_so(case, offsets):
    due_from = next_step_due_from(**case)
    days = {0, *offsets}
    if due_from is not None:  # the edges themselves: the day before and the day it falls due
        days |= {max(0, (due_from - case["last_session"]).days + d) for d in (-1, 0)}
    for offset in sorted(days):
        today = case["last_session"] + timedelta(days=offset)
        assert due_on(today, **case) == (due_from is not None and due_from <= today), today


def session(day, *, sites=("trapezius_upper",), baseline=6, followups=()):
    return payer.SessionRecord(
        date=day, sites=frozenset(sites), baseline=baseline, baseline_date=day, followups=followups
    )


def history(*sessions, sites=("trapezius_upper",)):
    return payer.TreatmentHistory(
        sessions=sessions,
        planned=payer.PlannedSession(sites=frozenset(sites), conservative_programme_active=True),
    )


SESSION = date(2026, 1, 5)  # default plan: the week 12 check-in is on 2026-03-30
RESPONDED = ((SESSION + timedelta(days=14), 2),)  # 67 % relief at two weeks


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        # Responded, no decision: a repeat from the LCD's six weeks (42 days) after it.
        ({"history": history(session(SESSION, followups=RESPONDED))}, SESSION + timedelta(42)),
        # Two sessions without relief at two weeks (reconsider): due at once.
        (
            {
                "history": history(
                    session(SESSION - timedelta(60), followups=((SESSION - timedelta(46), 6),)),
                    session(SESSION, followups=((SESSION + timedelta(14), 6),)),
                )
            },
            SESSION,
        ),
        # No two-week score (needs data): due when the plan ends, the day after week 12.
        ({"history": history(session(SESSION)), "reconsider_after": 1}, date(2026, 3, 31)),
        # Three sessions in the rolling year: a repeat waits until the first leaves it
        # (the session of 11 March 2025 leaves on 11 March 2026) ...
        (
            {
                "history": history(
                    session(SESSION - timedelta(300), followups=RESPONDED),
                    session(SESSION - timedelta(150), followups=RESPONDED),
                    session(SESSION, followups=RESPONDED),
                )
            },
            date(2026, 3, 11),
        ),
        # ... and when that is after the plan ends, the plan's end comes first.
        (
            {
                "history": history(
                    session(SESSION - timedelta(100), followups=RESPONDED),
                    session(SESSION - timedelta(50), followups=RESPONDED),
                    session(SESSION, followups=RESPONDED),
                )
            },
            date(2026, 3, 31),
        ),
        # A decision since the session: its review date, or not due without one.
        ({"history": history(session(SESSION)), "decided": True}, None),
        (
            {"history": history(session(SESSION)), "decided": True, "review_on": date(2026, 2, 2)},
            date(2026, 2, 2),
        ),
    ],
)
def test_it_gives_the_first_day_of_each_path(facts, expected):
    given = {"last_session": SESSION, "decided": False, "policy": LAX, **facts}
    assert next_step_due_from(**given) == expected


def test_it_refuses_a_review_date_without_a_decision():
    with pytest.raises(ValueError, match="review_on"):
        next_step_due_from(
            history(session(SESSION)),
            last_session=SESSION,
            decided=False,
            review_on=SESSION,
            policy=LAX,
        )
