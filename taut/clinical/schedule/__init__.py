"""Follow-up schedule after a TPI session, and advice on the next step.

``followups`` lists the check-in dates of a clinic's follow-up plan. The default
plan (day 1, day 3, week 1, week 2, week 6, week 12) is clinic policy, chosen to
catch post-injection soreness (days 1–3 [S10], [S13]), relief at two weeks
[S15], [S20], and the six-week relief a payer asks for before a repeat [S49],
[S51]; clinics may edit it. ``plan_from_days`` makes a clinic's plan from its days
(keys and labels such as "day_5"/"Day 5", "week_3"/"Week 3"), and ``plan_warnings`` says
what a plan cannot measure (relief at two weeks, the payer's lasting relief).

``next_step`` advises "continue", "repeat" (when ``payer.repeat_eligibility``
allows it), "reconsider" (after ``reconsider_after`` sessions in a row without
30 % relief at two weeks: clinic policy, since the "2–3 unsuccessful injections"
guidance attributed to AAFP 2002 [S1] is unverified) or "needs_data" (the
reconsider question cannot be settled without a missing two-week score). It
always carries its reasons and the patient's goals.

The clinician decides (``NextStep``); ``follows_advice`` says whether a decision is
one the advice points to (if not, the app asks why), and ``next_step_due`` whether a
decision is due: the advice asks for one, the follow-up plan has ended, or a review
date has come. Both are clinic policy.

"Relief at two weeks" is the relief (``outcomes.relief_percent``) at the
follow-up closest to day 14 within days 10–21 after the session, inclusive; on
a tie the earlier day, and on one day the worse score. No score in that window
means unknown: never a guess.

The package's public home is ``taut.clinical.schedule``: import from here, not from its
modules (``plan``: follow-up plans and their dates; ``relief``: relief at two weeks;
``advice``: ``next_step``; ``decision``: ``follows_advice``, ``next_step_due``, ``next_step_due_from``).

Sources are the ids of ``../shared/reference/clinical.md`` §9.
"""

from taut.clinical.schedule.advice import (
    CLINIC_POLICY_NOTE,
    RECONSIDER_AFTER,
    VERSION,
    Action,
    Advice,
    Reason,
    next_step,
)
from taut.clinical.schedule.decision import (
    DUE_FROM_VERSION,
    FOLLOWS,
    Due,
    NextStep,
    follows_advice,
    next_step_due,
    next_step_due_from,
)
from taut.clinical.schedule.plan import (
    DEFAULT_PLAN,
    PLAN_MAX_CHECKINS,
    PLAN_MAX_DAY,
    Checkpoint,
    FollowupDate,
    FollowupPlan,
    PlanWarning,
    followups,
    plan_days,
    plan_from_days,
    plan_warnings,
)
from taut.clinical.schedule.relief import (
    RESPONDER_PERCENT,
    TWO_WEEK_DAY,
    TWO_WEEK_WINDOW,
    TwoWeekRelief,
    two_week_relief,
)

__all__ = [
    "CLINIC_POLICY_NOTE",
    "DEFAULT_PLAN",
    "DUE_FROM_VERSION",
    "FOLLOWS",
    "PLAN_MAX_CHECKINS",
    "PLAN_MAX_DAY",
    "RECONSIDER_AFTER",
    "RESPONDER_PERCENT",
    "TWO_WEEK_DAY",
    "TWO_WEEK_WINDOW",
    "VERSION",
    "Action",
    "Advice",
    "Checkpoint",
    "Due",
    "FollowupDate",
    "FollowupPlan",
    "NextStep",
    "PlanWarning",
    "Reason",
    "TwoWeekRelief",
    "follows_advice",
    "followups",
    "next_step",
    "next_step_due",
    "next_step_due_from",
    "plan_days",
    "plan_from_days",
    "plan_warnings",
    "two_week_relief",
]
