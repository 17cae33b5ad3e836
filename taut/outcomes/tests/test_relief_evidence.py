"""The payer's relief check reads honest evidence from the chart: the intake's "right now"
pain against the check-ins' "right now" pain, each dated the day it was obtained, with
soreness in the first three days set aside (LCD documentation note [S51]; soreness [S10],
[S13])."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from taut.aftercare import services as aftercare
from taut.aftercare.tests import flow
from taut.outcomes import queries
from taut.outcomes.tests.function import session
from taut.tests.cast import acting
from taut.visits.tests import flow as visit_flow


def answered(visit, nurse, scores, *, late_days=None):
    """Answer the session's check-ins by checkpoint: ``scores`` maps a checkpoint to its
    pain; each is answered on its due day, or ``late_days`` (checkpoint → days) later."""
    late_days = late_days or {}
    zone = visit.patient.clinic.zone()
    for checkin in visit.checkins.order_by("due_on"):
        if checkin.checkpoint not in scores:
            continue
        day = checkin.due_on + timedelta(days=late_days.get(checkin.checkpoint, 0))
        aftercare.record_checkin(
            checkin=checkin,
            answers=flow.answers(checkin, nrs=scores[checkin.checkpoint]),
            actor=acting(nurse, now=datetime.combine(day, time(12), tzinfo=zone)),
        )


def relief_check(cast):
    """The session as the payer reads it for a repeat today, and the next-step panel's
    relief check."""
    later = visit_flow.scheduled(cast.patient, cast.clinician)
    (record,) = queries.payer_sessions(cast.patient, before=later)
    advice = queries.next_step_for(
        cast.patient, queries.sessions_for_patient(cast.patient), today=timezone.localdate()
    )
    return record, advice.repeat.check("relief")


def test_soreness_on_day_one_does_not_end_the_relief(cast):
    """Intake pain now 6/10; day 1: 8/10 (soreness), then 3/10 through week 6: relief of
    50 % for 42 days, with the day-1 score set aside."""
    visit = session(cast.patient, cast.clinician, days_ago=60)
    answered(visit, cast.nurse, {"day_1": 8, "day_3": 3, "week_1": 3, "week_2": 3, "week_6": 3})
    record, check = relief_check(cast)
    assert record.followups[0][1] == 8
    assert check.passed is True
    assert "expected soreness and do not end the relief" in check.text


def test_each_score_is_dated_when_it_was_answered(cast):
    """The week-6 check-in answered 9 days late is dated on the day it was answered."""
    visit = session(cast.patient, cast.clinician, days_ago=70)
    answered(
        visit,
        cast.nurse,
        {"day_1": 3, "day_3": 3, "week_1": 3, "week_2": 3, "week_6": 3},
        late_days={"week_6": 9},
    )
    week_6 = visit.checkins.get(checkpoint="week_6")
    record, check = relief_check(cast)
    answered_on = week_6.due_on + timedelta(days=9)
    assert record.followups[-1][0] == answered_on
    assert f"{answered_on} (day 51)" in check.text
    assert f"{week_6.due_on} (day 42)" not in check.text


def test_the_baseline_is_the_intakes_pain_right_now_dated_when_recorded(cast):
    visit = session(cast.patient, cast.clinician, days_ago=60)
    answered(visit, cast.nurse, {"week_2": 3, "week_6": 3})
    record, check = relief_check(cast)
    intake = visit.intake
    assert record.baseline == intake.nrs_now
    assert record.scale == record.followup_scale == "index_pain_now"
    recorded = timezone.localtime(intake.recorded_at, visit.patient.clinic.zone()).date()
    assert record.baseline_date == recorded
    assert f"baseline {intake.nrs_now}/10 obtained {recorded} (index pain right now, 0–10)" in (
        check.text
    )
