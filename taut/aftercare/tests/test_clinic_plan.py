"""A clinic's own follow-up plan, from the clinic settings page to the questions asked.

The lead sets check-ins on days 2, 10, 30 and 90; the next signed session gets exactly
those, each asking by its day (soreness to day 14, PGIC from day 7, GAS from day 42), and
sessions signed before the change keep the plan they were signed under.
"""

from datetime import UTC, timedelta

from taut.accounts import services as accounts
from taut.aftercare import services
from taut.aftercare.models import CheckIn
from taut.aftercare.queries import questions_for
from taut.aftercare.tests import flow
from taut.audit.models import AuditEvent
from taut.clinical.checkins import Kind
from taut.tests.cast import acting

CUSTOM = [2, 10, 30, 90]


def use_plan(cast, days):
    cast.clinic.refresh_from_db()
    accounts.update_clinic_settings(
        clinic=cast.clinic,
        version=cast.clinic.version,
        data={"followup_days": days},
        actor=acting(cast.lead),
    )


def test_it_schedules_the_plan_a_lead_saved_on_the_settings_page(client, cast, signed_in):
    signed_in(cast.lead)
    data = {
        "version": 1, "name": "Test Clinic", "time_zone": "UTC", "followup_days": "2, 10, 30, 90",
        "reconsider_after": 2, "payer_policy": "L34211", "weight_window_days": 30,
        "function_percent": 50, "function_min_points": 1, "emergency_number": "911",
        "observation_minutes": 30, "steroid_limit_mg": 80,
        "opens_at": "08:00", "closes_at": "17:00", "slot_minutes": 15,
    }  # fmt: skip
    assert client.post("/clinic/", data).status_code == 302
    cast.clinician.clinic.refresh_from_db()  # as the clinician's next request would read it
    visit = flow.signed(cast.patient, cast.clinician)
    session = visit.scheduled_for.astimezone(UTC).date()  # the day by the clinic's clock (UTC)
    got = [
        (c.checkpoint, c.label, c.offset_days, c.due_on)
        for c in CheckIn.objects.filter(visit=visit).order_by("due_on")
    ]
    assert got == [
        ("day_2", "Day 2", 2, session + timedelta(days=2)),
        ("day_10", "Day 10", 10, session + timedelta(days=10)),
        ("day_30", "Day 30", 30, session + timedelta(days=30)),
        ("day_90", "Day 90", 90, session + timedelta(days=90)),
    ]
    event = AuditEvent.objects.get(object_type="checkin", object_id=str(visit.public_id))
    assert event.details["plan"] == "clinic"
    assert event.details["scheduled"] == ["day_2", "day_10", "day_30", "day_90"]


def test_it_asks_each_custom_checkin_by_its_day(cast):
    """Day 2 and 10 ask soreness; PGIC from day 10 (≥ 7); GAS only at day 90 (≥ 42)."""
    use_plan(cast, CUSTOM)
    visit = flow.signed(cast.patient, cast.clinician)
    asked = {}
    for checkin in CheckIn.objects.filter(visit=visit):
        questions, _ = questions_for(checkin)
        asked[checkin.offset_days] = {q.kind for q in questions}
    assert [Kind.SORENESS in asked[d] for d in CUSTOM] == [True, True, False, False]
    assert [Kind.PGIC in asked[d] for d in CUSTOM] == [False, True, True, True]
    assert [Kind.GAS in asked[d] for d in CUSTOM] == [False, False, False, True]
    assert [Kind.WARNING in asked[d] for d in CUSTOM] == [True, True, False, False]


def test_it_records_a_custom_checkin_with_goal_attainment(cast):
    use_plan(cast, CUSTOM)
    visit = flow.signed(cast.patient, cast.clinician)
    checkin = visit.checkins.get(checkpoint="day_90")
    answers = flow.answers(checkin, nrs=2)
    services.record_checkin(checkin=checkin, answers=answers, actor=acting(cast.nurse))
    checkin.refresh_from_db()
    assert checkin.completed_at is not None and checkin.nrs == 2
    assert checkin.answers["gas"] == {str(visit.goals.get().pk): 0}


def test_it_keeps_the_checkins_of_sessions_signed_before_a_change(cast):
    """A plan change applies to sessions signed afterwards; earlier check-ins stay."""
    before = flow.signed(cast.patient, cast.clinician)
    use_plan(cast, CUSTOM)
    after = flow.signed(cast.patient, cast.clinician)
    assert list(before.checkins.order_by("due_on").values_list("offset_days", flat=True)) == [
        1, 3, 7, 14, 42, 84,
    ]  # fmt: skip
    assert list(after.checkins.order_by("due_on").values_list("offset_days", flat=True)) == CUSTOM
    assert services.schedule_checkins(visit=before, actor=acting(cast.clinician)) == []
    assert before.checkins.count() == 6


def test_it_goes_back_to_tauts_default_plan(cast):
    use_plan(cast, CUSTOM)
    use_plan(cast, [1, 3, 7, 14, 42, 84])
    cast.clinic.refresh_from_db()
    assert cast.clinic.followup_plan == []
    visit = flow.signed(cast.patient, cast.clinician)
    keys = list(visit.checkins.order_by("due_on").values_list("checkpoint", flat=True))
    assert keys == ["day_1", "day_3", "week_1", "week_2", "week_6", "week_12"]
