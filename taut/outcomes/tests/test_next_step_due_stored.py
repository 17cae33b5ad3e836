"""The stored day a next-step decision falls due (``NextStepDue``): computed again by each
write that changes its facts, in that write's transaction (signing a note, a check-in's
answers, a reading of function, a decision), and by ``taut refresh-next-steps``."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from taut.aftercare.tests import flow
from taut.clinical import schedule
from taut.outcomes import services
from taut.outcomes.models import NextStepDue
from taut.outcomes.tests.function import answer, session
from taut.outcomes.tests.test_worklist_section import decide
from taut.visits.models import Visit
from taut.visits.queries import session_date
from taut.workflows import followup, notes


def stored(patient):
    return NextStepDue.objects.filter(patient=patient).first()


class Broken(Exception):
    pass


@pytest.fixture
def failing_refresh(monkeypatch):
    """The refresh fails: the write that called it must leave nothing behind."""

    def refuse(**kwargs):
        raise Broken

    monkeypatch.setattr(services, "refresh_next_step_due", refuse)


def test_it_stores_the_due_day_when_a_note_is_signed(cast):
    visit = flow.signed(cast.patient, cast.clinician)
    row = stored(cast.patient)
    day = session_date(visit)
    # No two-week score can be known yet, so the plan's end (the day after week 12) counts.
    assert (row.last_session, row.due_from) == (visit, day + timedelta(days=85))
    assert row.clinic == cast.clinic and row.rule_version == schedule.DUE_FROM_VERSION


def test_it_signs_nothing_when_the_due_day_cannot_be_stored(cast, failing_refresh):
    from taut.visits.tests import flow as visit_flow

    visit = visit_flow.ready_to_sign(cast.patient, cast.clinician)
    with pytest.raises(Broken):
        notes.sign_note(
            visit=visit, version=visit.version, icd_codes=[], actor=flow.acting(cast.clinician)
        )
    visit.refresh_from_db()
    assert visit.state != Visit.State.SIGNED and not visit.checkins.exists()


def test_it_stores_the_due_day_again_when_a_check_in_arrives(cast):
    """Two sessions without relief at two weeks: reconsider, due from the last session."""
    cast.clinic.reconsider_after = 1
    cast.clinic.save(update_fields=["reconsider_after"])
    visit = session(cast.patient, cast.clinician, days_ago=20)
    before = stored(cast.patient).due_from
    checkin = visit.checkins.get(checkpoint="week_2")
    followup.record_checkin(
        checkin=checkin,
        answers=flow.answers(checkin, nrs=6),  # no relief from the intake's 6/10
        actor=flow.on_due_day(cast.nurse, checkin),
    )
    after = stored(cast.patient).due_from
    assert before == session_date(visit) + timedelta(days=85)
    assert after == session_date(visit)


def test_it_stores_the_due_day_again_when_a_decision_is_recorded(cast):
    visit = session(cast.patient, cast.clinician, days_ago=100)
    assert stored(cast.patient).due_from is not None
    review_on = timezone.localdate() + timedelta(days=10)
    decide(cast.patient, visit, cast.clinician, decision="review", review_on=review_on,
           note="Waiting for the physio report before deciding.")  # fmt: skip
    assert stored(cast.patient).due_from == review_on
    decide(cast.patient, visit, cast.clinician, note="Continuing: the patient prefers it.")
    assert stored(cast.patient).due_from is None


def test_it_records_no_decision_when_the_due_day_cannot_be_stored(cast, monkeypatch):
    visit = session(cast.patient, cast.clinician, days_ago=100)
    due_from = stored(cast.patient).due_from

    def refuse(**kwargs):
        raise Broken

    monkeypatch.setattr(services, "refresh_next_step_due", refuse)
    with pytest.raises(Broken):
        decide(cast.patient, visit, cast.clinician, note="Continuing: the patient prefers it.")
    assert not services.NextStepDecision.objects.filter(patient=cast.patient).exists()
    assert stored(cast.patient).due_from == due_from


def test_it_keeps_the_check_in_unanswered_when_the_due_day_cannot_be_stored(cast, monkeypatch):
    visit = flow.signed(cast.patient, cast.clinician)
    checkin = visit.checkins.order_by("due_on").first()

    def refuse(**kwargs):
        raise Broken

    monkeypatch.setattr(services, "refresh_next_step_due", refuse)
    with pytest.raises(Broken):
        followup.record_checkin(
            checkin=checkin,
            answers=flow.answers(checkin),
            actor=flow.on_due_day(cast.nurse, checkin),
        )
    checkin.refresh_from_db()
    assert checkin.completed_at is None


def test_it_stores_the_due_day_again_when_function_is_read(cast):
    """The LCD (the clinic's default policy) asks for objective functional improvement:
    reading it in makes a repeat due from six weeks after the session, not when the plan
    ends."""
    visit = session(cast.patient, cast.clinician, days_ago=50)
    answer(visit, cast.nurse, nrs=1, interference=1)  # lasting relief, through week 6
    services.refresh_next_step_due(patient=cast.patient, now=timezone.now())
    day = session_date(visit)
    before = stored(cast.patient).due_from
    services.record_function_reading(
        visit=visit,
        improved=True,
        scale="peg_interference",
        note="",
        actor=flow.acting(cast.clinician),
    )
    assert (before, stored(cast.patient).due_from) == (day + timedelta(85), day + timedelta(42))


def test_the_command_computes_every_patient_of_the_clinic_again(cast):
    flow.signed(cast.patient, cast.clinician)
    NextStepDue.objects.all().delete()
    call_command("refresh_next_steps", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert stored(cast.patient).due_from is not None
    assert stored(cast.other_patient).due_from is None  # no session yet
