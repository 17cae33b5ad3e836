"""When the clinician's next-step decision is due, and which decisions follow the advice:
taut.clinical.schedule.next_step_due and follows_advice (clinic policy, unverified)."""

from datetime import date, datetime

import pytest

from taut.clinical.schedule import (
    FOLLOWS,
    Action,
    Checkpoint,
    FollowupPlan,
    NextStep,
    follows_advice,
    next_step_due,
)

SESSION = date(2026, 1, 5)  # default plan: the week 12 check-in is on 2026-03-30


@pytest.mark.parametrize(
    ("action", "today", "decided", "review_on", "expected"),
    [
        # No decision since the session: the advice asks for one now.
        ("reconsider", date(2026, 1, 20), False, None, (True, "reconsider", date(2026, 1, 20))),
        ("repeat", date(2026, 2, 16), False, None, (True, "repeat", date(2026, 2, 16))),
        # ... or the follow-up plan ended: due from the day after the week 12 check-in.
        ("continue", date(2026, 3, 30), False, None, (False, "followup_open", None)),
        ("continue", date(2026, 3, 31), False, None, (True, "followup_ended", date(2026, 3, 31))),
        ("needs_data", date(2026, 6, 1), False, None, (True, "followup_ended", date(2026, 3, 31))),
        ("needs_data", date(2026, 1, 20), False, None, (False, "followup_open", None)),
        # A decision since the session: not due again until its review date.
        ("repeat", date(2026, 2, 16), True, None, (False, "decided", None)),
        ("continue", date(2026, 6, 1), True, None, (False, "decided", None)),
        ("reconsider", date(2026, 2, 1), True, date(2026, 2, 2), (False, "review_later", None)),
        ("reconsider", date(2026, 2, 2), True, date(2026, 2, 2), (True, "review_date", date(2026, 2, 2))),
        ("continue", date(2026, 3, 1), True, date(2026, 2, 2), (True, "review_date", date(2026, 2, 2))),
    ],
)  # fmt: skip
def test_it_says_when_a_decision_is_due(action, today, decided, review_on, expected):
    due = next_step_due(
        last_session=SESSION, action=action, today=today, decided=decided, review_on=review_on
    )
    assert (due.due, due.code, due.since) == expected
    assert due.text


def test_it_explains_an_ended_follow_up_with_its_dates():
    due = next_step_due(
        last_session=SESSION, action=Action.CONTINUE, today=date(2026, 4, 2), decided=False
    )
    assert due.text == (
        "Follow-up after the session on 5 Jan 2026 ended with the Week 12 check-in on "
        "30 Mar 2026; no decision recorded yet."
    )


def test_it_ends_follow_up_with_the_clinics_own_plan():
    plan = FollowupPlan((Checkpoint("day_2", 2, "Day 2"), Checkpoint("week_4", 28, "Week 4")))
    due = next_step_due(
        last_session=SESSION, action="continue", today=date(2026, 2, 3), decided=False, plan=plan
    )
    assert (due.due, due.since) == (True, date(2026, 2, 3))
    assert "Week 4 check-in on 2 Feb 2026" in due.text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"last_session": datetime(2026, 1, 5, 9)}, "last_session"),
        ({"today": "2026-01-05"}, "today"),
        ({"action": "stop"}, "action"),
        ({"decided": None}, "decided"),
        ({"review_on": date(2026, 2, 1)}, "review_on"),  # no decision: no review date
    ],
)
def test_it_rejects_bad_arguments_naming_them(kwargs, field):
    args = {"last_session": SESSION, "action": "continue", "today": SESSION, "decided": False}
    with pytest.raises(ValueError, match=field):
        next_step_due(**{**args, **kwargs})


@pytest.mark.parametrize(
    ("action", "decision", "follows"),
    [
        ("repeat", "repeat", True),
        ("repeat", "continue", False),
        ("continue", "continue", True),
        ("continue", "repeat", False),  # repeating against the payer's checks needs a reason
        ("reconsider", "stop", True),
        ("reconsider", "review", True),  # "review the diagnosis and the plan"
        ("reconsider", "repeat", False),
        ("needs_data", "review", True),
        ("needs_data", "continue", True),
        ("needs_data", "repeat", False),
    ],
)
def test_it_says_which_decisions_follow_the_advice(action, decision, follows):
    assert follows_advice(action, decision) is follows


def test_it_never_counts_other_as_following_the_advice():
    assert not any(follows_advice(action, NextStep.OTHER) for action in Action)
    assert set(FOLLOWS) == set(Action)


def test_it_rejects_an_unknown_decision():
    with pytest.raises(ValueError, match="decision"):
        follows_advice("repeat", "refer")


def test_it_has_a_few_words_for_every_due_code():
    """The worklist's one line per patient uses ``Due.short``; ``text`` keeps the reason."""
    from taut.clinical.schedule.decision import DUE_SHORT, Due

    codes = {
        "review_date",
        "reconsider",
        "repeat",
        "followup_ended",
        "decided",
        "review_later",
        "followup_open",
    }
    assert set(DUE_SHORT) == codes
    assert Due(True, "repeat", "A repeat is advised.", None).short == "a repeat is advised"
