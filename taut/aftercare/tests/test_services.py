"""Scheduling check-ins at signing, recording them, and acknowledging the alerts they raise."""

from datetime import timedelta

import pytest
from django.utils import timezone

from taut.aftercare import services
from taut.aftercare.models import Alert, CheckIn
from taut.aftercare.tests import flow
from taut.audit.models import AuditEvent
from taut.tests.cast import acting


def test_it_schedules_six_checkins_when_a_note_is_signed(cast):
    visit = flow.signed(cast.patient, cast.clinician)
    session = timezone.localdate(visit.scheduled_for)
    got = [(c.checkpoint, c.due_on) for c in CheckIn.objects.filter(visit=visit)]
    assert got == [
        (key, session + timedelta(days=days))
        for key, days in [("day_1", 1), ("day_3", 3), ("week_1", 7), ("week_2", 14),
                          ("week_6", 42), ("week_12", 84)]
    ]  # fmt: skip
    assert all(c.patient_id == cast.patient.pk for c in CheckIn.objects.filter(visit=visit))
    assert AuditEvent.objects.filter(object_type="checkin", object_id=str(visit.public_id)).exists()


def test_it_schedules_each_checkin_only_once(cast):
    visit = flow.signed(cast.patient, cast.clinician)
    assert services.schedule_checkins(visit=visit, actor=acting(cast.clinician)) == []
    assert CheckIn.objects.filter(visit=visit).count() == 6


def test_it_records_a_phone_checkin(cast):
    visit = flow.signed(cast.patient, cast.clinician)
    checkin = visit.checkins.get(checkpoint="week_6")
    answers = flow.answers(checkin, nrs=2, pgic="much_improved")
    services.record_checkin(checkin=checkin, answers=answers, actor=acting(cast.nurse))
    checkin.refresh_from_db()
    assert checkin.completed_at is not None and checkin.recorded_by == cast.nurse
    assert (checkin.nrs, checkin.peg_pain, checkin.pgic) == (2, 3, "much_improved")
    goal = visit.goals.get()
    assert checkin.answers["gas"] == {str(goal.pk): 0}
    assert checkin.source == "staff_phone"


@pytest.mark.parametrize(
    "change, field",
    [({"nrs": 11}, "nrs"), ({"peg_pain": -1}, "peg_pain"), ({"nrs": "7"}, "nrs"),
     ({"pgic": "better"}, "pgic"), ({"infection": "maybe"}, "infection"),
     ({"treatments": ["surgery"]}, "treatments"), ({"unasked": 1}, "unasked")],
)  # fmt: skip
def test_it_refuses_bad_answers_and_saves_nothing(cast, change, field):
    visit = flow.signed(cast.patient, cast.clinician)
    checkin = visit.checkins.get(checkpoint="week_1")
    with pytest.raises(services.AnswersInvalid) as raised:
        services.record_checkin(
            checkin=checkin, answers=flow.answers(checkin, **change), actor=acting(cast.nurse),
        )  # fmt: skip
    assert field in raised.value.errors
    checkin.refresh_from_db()
    assert checkin.completed_at is None and checkin.answers == {}


def test_it_refuses_a_gas_level_out_of_range(cast):
    visit = flow.signed(cast.patient, cast.clinician)
    checkin = visit.checkins.get(checkpoint="week_12")
    goal = visit.goals.get()
    with pytest.raises(services.AnswersInvalid):
        services.record_checkin(
            checkin=checkin, answers=flow.answers(checkin, gas={str(goal.pk): 3}),
            actor=acting(cast.nurse),
        )  # fmt: skip


def test_it_refuses_to_complete_a_checkin_twice(cast):
    visit = flow.signed(cast.patient, cast.clinician)
    checkin = visit.checkins.get(checkpoint="day_1")
    services.record_checkin(
        checkin=checkin, answers=flow.answers(checkin), actor=acting(cast.nurse)
    )
    with pytest.raises(services.AftercareError, match="already completed"):
        services.record_checkin(
            checkin=checkin, answers=flow.answers(checkin, nrs=9), actor=acting(cast.nurse),
        )  # fmt: skip
    checkin.refresh_from_db()
    assert checkin.nrs == 3


def test_it_raises_an_alert_at_once_for_a_warning_sign(cast):
    visit = flow.signed(cast.patient, cast.clinician)
    checkin = visit.checkins.get(checkpoint="day_1")
    services.record_checkin(
        checkin=checkin, answers=flow.answers(checkin, breathing="yes", infection="yes"),
        actor=acting(cast.nurse),
    )  # fmt: skip
    alerts = Alert.objects.filter(checkin=checkin).order_by("id")
    assert [(a.code, a.severity) for a in alerts] == [
        ("breathing", "urgent"),
        ("infection", "soon"),
    ]
    assert "trapezius upper (left)" in alerts[0].text
    assert all(a.open and a.patient == cast.patient for a in alerts)


def test_it_acknowledges_an_alert_with_a_note_once(cast):
    visit = flow.signed(cast.patient, cast.clinician)
    checkin = visit.checkins.get(checkpoint="day_3")
    services.record_checkin(
        checkin=checkin, answers=flow.answers(checkin, infection="yes"), actor=acting(cast.nurse),
    )  # fmt: skip
    alert = Alert.objects.get(checkin=checkin)
    with pytest.raises(services.AftercareError, match="at least 5"):
        services.acknowledge_alert(alert=alert, note="ok ", actor=acting(cast.nurse))
    alert.refresh_from_db()
    assert alert.open
    services.acknowledge_alert(
        alert=alert, note="Called; booked review today.", actor=acting(cast.nurse)
    )
    alert.refresh_from_db()
    assert not alert.open and alert.acknowledged_by == cast.nurse
    with pytest.raises(services.AftercareError, match="already"):
        services.acknowledge_alert(
            alert=alert, note="Called again today.", actor=acting(cast.clinician)
        )
