"""The clinician's next-step decision: whether it follows the advice, and when one is due.

Both are clinic policy: software suggests, the clinician decides and documents a departure.

Sources are the ids of ``../shared/reference/clinical.md`` §9.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from taut.clinical import payer
from taut.clinical.inputs import member_of, read_date
from taut.clinical.schedule.advice import RECONSIDER_AFTER, Action, next_step
from taut.clinical.schedule.plan import DEFAULT_PLAN, FollowupPlan, followups
from taut.clinical.schedule.relief import RESPONDER_PERCENT, TWO_WEEK_WINDOW

# The version of ``next_step_due_from`` together with the advice it reads: a stored due date
# carries it, so dates computed by an older rule can be found and computed again.
DUE_FROM_VERSION = "2026.1"


class NextStep(StrEnum):
    """What the clinician decides after reading the advice (recorded by the app)."""

    REPEAT = "repeat"  # repeat session
    CONTINUE = "continue"  # continue the current plan or self-care
    REVIEW = "review"  # pause and review on a date
    STOP = "stop"  # stop injections: refer or change the approach
    OTHER = "other"


# Decisions that follow each piece of advice; any other decision needs a written reason.
FOLLOWS = MappingProxyType(
    {
        Action.REPEAT: frozenset({NextStep.REPEAT}),
        Action.CONTINUE: frozenset({NextStep.CONTINUE}),
        Action.RECONSIDER: frozenset({NextStep.STOP, NextStep.REVIEW}),
        Action.NEEDS_DATA: frozenset({NextStep.CONTINUE, NextStep.REVIEW}),
    }
)


def _read_decision(decided: object, review_on: object) -> date | None:
    """``decided`` (a decision since the last session?) and its ``review_on`` day, checked:
    only a decision sets a review day."""
    if decided not in (True, False):
        raise ValueError("decided: must be True or False")
    if review_on is None:
        return None
    day = read_date(review_on, "review_on")
    if not decided:
        raise ValueError("review_on: only a decision since the last session sets one")
    return day


def _action(value: object) -> Action:
    action = member_of(Action, value)
    if action is None:
        raise ValueError(f"action: unknown advice {value!r}")
    return action


def follows_advice(action: Action | str, decision: NextStep | str) -> bool:
    """Whether ``decision`` is one the advice ``action`` points to (``FOLLOWS``).

    "Repeat" follows a repeat; "continue" follows continue; stopping (refer, change the
    approach) or a review date follows "reconsider" ("review the diagnosis and the plan");
    continuing or a review date follows "needs data". Any other decision is the clinician
    departing from the advice, and the app asks why. "Other" never follows.
    Source: clinic policy (unverified): software suggests, the clinician decides and
    documents a departure from the advice; not a guideline rule.
    """
    action = _action(action)
    try:
        decision = NextStep(decision)
    except ValueError:
        raise ValueError(f"decision: unknown decision {decision!r}") from None
    return decision in FOLLOWS[action]


@dataclass(frozen=True)
class Due:
    due: bool
    code: str  # due: review_date, reconsider, repeat, followup_ended; else: decided, review_later, followup_open
    text: str
    since: date | None  # the day it fell due; None when not due

    @property
    def short(self) -> str:
        """A few words for a one-line list (``text`` has the whole reason)."""
        return DUE_SHORT.get(self.code, "")


DUE_SHORT = {
    "review_date": "review date reached",
    "reconsider": "advice changed to reconsider",
    "repeat": "a repeat is advised",
    "followup_ended": "follow-up plan ended",
    "decided": "decided",
    "review_later": "review later",
    "followup_open": "follow-up still running",
}


def next_step_due(
    *,
    last_session: date,
    action: Action | str,
    today: date,
    decided: bool,
    review_on: date | None = None,
    plan: FollowupPlan = DEFAULT_PLAN,
) -> Due:
    """Is the clinician's next-step decision due, after the session on ``last_session``?

    With a decision recorded since that session (``decided``): due from its
    ``review_on`` date, otherwise not until another session. With none: due when the
    advice is "reconsider" (a clinic-policy prompt to review the plan) or "repeat" (the
    payer allows one on ``today``), or once the follow-up plan of that session has ended
    (the day after its last check-in, e.g. week 12 of the default plan); else not yet.
    Source: clinic policy (unverified); the plan's dates as ``followups`` ([S49], [S51]
    for the six-week review).
    """
    last_session = read_date(last_session, "last_session")
    today = read_date(today, "today")
    action = _action(action)
    review_on = _read_decision(decided, review_on)
    if decided:
        if review_on is None:
            return Due(False, "decided", "Decided after the last session.", None)
        if review_on <= today:
            return Due(
                True, "review_date", f"The review date {review_on:%-d %b %Y} has come.", review_on
            )
        return Due(False, "review_later", f"Review on {review_on:%-d %b %Y}.", None)
    if action is Action.RECONSIDER:
        text = "The advice is to reconsider injections; no decision recorded yet."
        return Due(True, "reconsider", text, today)
    if action is Action.REPEAT:
        text = "A repeat session meets the payer's checks; no decision recorded yet."
        return Due(True, "repeat", text, today)
    last = followups(last_session, plan)[-1]
    if last.date < today:
        text = (
            f"Follow-up after the session on {last_session:%-d %b %Y} ended with the {last.label} "
            f"check-in on {last.date:%-d %b %Y}; no decision recorded yet."
        )
        return Due(True, "followup_ended", text, last.date + timedelta(days=1))
    text = f"Follow-up runs until the {last.label} check-in on {last.date:%-d %b %Y}."
    return Due(False, "followup_open", text, None)


def next_step_due_from(
    history: payer.TreatmentHistory,
    *,
    last_session: date,
    decided: bool,
    review_on: date | None = None,
    plan: FollowupPlan = DEFAULT_PLAN,
    policy: payer.Policy | str,
    reconsider_after: int = RECONSIDER_AFTER,
    responder_percent: float = RESPONDER_PERCENT,
    window: tuple[int, int] = TWO_WEEK_WINDOW,
) -> date | None:
    """The first day the next-step decision is due, or None: not due until new facts.

    The same facts as ``next_step`` and ``next_step_due`` without ``today``: for every day
    ``today`` on or after ``last_session``, ``next_step_due(last_session=last_session,
    action=next_step(history, …, today=today).action, today=today, decided=decided,
    review_on=review_on, plan=plan).due`` is ``due_from is not None and due_from <= today``
    (the property test in ``taut/clinical/tests/test_schedule_due_from.py`` checks it). So a
    stored date answers "is it due?" on any later day until a fact changes (a session, a
    check-in, a reading, a decision, the clinic's policy or plan).

    Each path of ``next_step_due``: a decision since the session is due from its
    ``review_on`` (None without one). Without a decision: "reconsider" and "needs data"
    do not depend on the day (relief at two weeks reads dated scores only), so reconsider
    is due from ``last_session`` and needs data from the day after the plan's last
    check-in. Otherwise the advice is "repeat" from the first day the payer's checks all
    pass, and only the rolling 12-month count and the interval since the last session in
    the region depend on the day; both only pass more as the day moves on (no session
    lies after ``last_session``), so that first day is found by bisection, and the
    decision is due from it or from the day after the plan's last check-in, whichever
    comes first.
    Source: clinic policy (unverified), as ``next_step_due``; the payer checks as
    ``payer.repeat_eligibility`` ([S49], [S51], [S52]).
    """
    last_session = read_date(last_session, "last_session")
    review_on = _read_decision(decided, review_on)
    if decided:
        return review_on

    def action_on(day: date) -> Action:
        advice = next_step(
            history,
            (),
            today=day,
            policy=policy,
            reconsider_after=reconsider_after,
            responder_percent=responder_percent,
            window=window,
        )
        return advice.action

    ended = followups(last_session, plan)[-1].date + timedelta(days=1)
    first = action_on(last_session)
    if first in (Action.RECONSIDER, Action.REPEAT):
        return last_session
    if first is Action.NEEDS_DATA or action_on(ended - timedelta(days=1)) is not Action.REPEAT:
        return ended
    # Not a repeat on ``low``, a repeat on ``high``: bisect for the first repeat day.
    low, high = last_session, ended - timedelta(days=1)
    while (high - low).days > 1:
        middle = low + timedelta(days=(high - low).days // 2)
        if action_on(middle) is Action.REPEAT:
            high = middle
        else:
            low = middle
    return high
