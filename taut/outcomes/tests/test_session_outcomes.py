"""Each signed session stored as the clinic analytics count it (``SessionOutcome`` and its
``SessionFacet`` rows), through the real services: signing, a check-in's answers, a second
session, and the clinic-wide refresh."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from taut.aftercare.tests import flow
from taut.clinical import outcomes
from taut.outcomes import daycounts, services
from taut.outcomes.models import CheckinCount, DayCount, SessionFacet, SessionOutcome
from taut.tests.cast import acting
from taut.tests.once import built_once_per_module
from taut.visits.queries import session_date
from taut.visits.services import procedure
from taut.visits.tests import flow as visit_flow
from taut.workflows import followup, notes

D = SessionFacet.Dimension


def session(patient, clinician, *, days_ago, sites, complications=("none",)):
    """A signed session ``days_ago`` days back (intake pain 6/10) with ``sites``."""
    when = timezone.now() - timedelta(days=days_ago)
    with time_machine.travel(when, tick=False):
        visit = visit_flow.scheduled(patient, clinician, when=when)
        visit = visit_flow.with_intake(visit, clinician)
        visit = visit_flow.examined(visit, clinician, [(s.muscle, s.side) for s in sites])
        visit = visit_flow.with_sites(visit_flow.consented(visit, clinician), clinician, sites)
        procedure.record_immediate(
            visit=visit,
            version=visit.version,
            nrs_before=6,
            nrs_after=2,
            complications=list(complications),
            action="" if list(complications) == ["none"] else "Pressure for five minutes.",
            actor=acting(clinician),
        )
        visit.refresh_from_db()
        visit = visit_flow.discharged(visit, clinician)
        notes.sign_note(visit=visit, version=visit.version, icd_codes=[], actor=acting(clinician))
    visit.refresh_from_db()
    return visit


def build(cast):
    """Two sessions of the cast's patient: 70 days ago on the upper trapezius (landmark),
    and 30 days ago on the trapezius by ultrasound and levator scapulae by landmark, with a
    haematoma."""
    first = session(
        cast.patient, cast.clinician, days_ago=70, sites=[visit_flow.site("trapezius_upper")]
    )
    second = session(
        cast.patient,
        cast.clinician,
        days_ago=30,
        sites=[
            visit_flow.site("trapezius_upper", guidance="ultrasound"),
            visit_flow.site("levator_scapulae"),
        ],
        complications=["haematoma"],
    )
    return first, second


sessions, _sessions_once = built_once_per_module(build, name="sessions")


def stored(visit) -> SessionOutcome:
    return SessionOutcome.objects.get(visit=visit)


def facets(visit) -> set[tuple[str, str]]:
    return set(SessionFacet.objects.filter(outcome__visit=visit).values_list("dimension", "value"))


def answer_two_weeks(visit, nurse, nrs):
    checkin = visit.checkins.get(checkpoint="week_2")
    followup.record_checkin(
        checkin=checkin,
        answers=flow.answers(checkin, nrs=nrs),
        actor=flow.on_due_day(nurse, checkin),
    )


def test_it_stores_a_signed_session_with_what_was_done(cast, sessions):
    first, _ = sessions
    row = stored(first)
    assert (row.patient, row.clinic, row.clinician) == (cast.patient, cast.clinic, cast.clinician)
    assert (row.day, row.session_number, row.days_since_previous) == (session_date(first), 1, None)
    assert (row.baseline, row.guidance, row.method, row.steroid) == (
        6,
        SessionOutcome.Guidance.LANDMARK,
        SessionOutcome.Method.INJECTION,
        False,
    )
    assert (row.complications, row.payer_met, row.rule_version) == (
        0,
        None,
        outcomes.DURABILITY_VERSION,
    )
    assert facets(first) == {
        (D.MUSCLE, "trapezius_upper"),
        (D.AGENT, "lidocaine 1%"),
        (D.STEROID, "no"),
        (D.GUIDANCE, "landmark"),
        (D.METHOD, "injection"),
        (D.INDICATION, "myofascial_pain"),
        (D.INDICATION, "neck_muscle_pain"),
        (D.SESSION, "1"),
        (D.CLINICIAN, str(cast.clinician.pk)),
    }


def test_it_stores_no_response_before_any_score(sessions):
    first, _ = sessions
    row = stored(first)
    responses = ("nrs_2w", "resp30_2w", "resp50_2w", "resp30_6w", "resp50_6w", "relief_days")
    assert [getattr(row, name) for name in responses] == [None] * 6
    assert row.followups == 0


def test_it_stores_a_second_session_with_its_number_interval_and_payer_verdict(cast, sessions):
    first, second = sessions
    row = stored(second)
    assert row.session_number == 2
    assert row.days_since_previous == (session_date(second) - session_date(first)).days == 40
    assert row.payer_met is not None
    assert (row.guidance, row.complications) == (SessionOutcome.Guidance.BOTH, 1)
    assert {
        (D.MUSCLE, "trapezius_upper"),
        (D.MUSCLE, "levator_scapulae"),
        (D.GUIDANCE, "both"),
        (D.SESSION, "2"),
        (D.COMPLICATION, "haematoma"),
    } <= facets(second)


def test_it_stores_the_two_week_response_when_the_check_in_is_answered(cast, sessions):
    first, _ = sessions
    answer_two_weeks(first, cast.nurse, nrs=3)  # 6 → 3: 50 % relief
    row = stored(first)
    assert (row.nrs_2w, row.resp30_2w, row.resp50_2w) == (3, True, True)
    assert (row.resp30_6w, row.resp50_6w) == (None, None)
    assert (row.relief_days, row.relief_ended, row.followups) == (14, False, 1)
    # The facets carry the same response, for the breakdowns.
    copied = SessionFacet.objects.filter(outcome=row).values_list(
        "resp30_2w", "resp50_2w", "relief_days", "relief_ended"
    )
    assert set(copied) == {(True, True, 14, False)}


def test_it_stores_a_non_responder_as_such(cast, sessions):
    first, _ = sessions
    answer_two_weeks(first, cast.nurse, nrs=5)  # 6 → 5: 17 %
    row = stored(first)
    assert (row.nrs_2w, row.resp30_2w, row.resp50_2w) == (5, False, False)
    assert (row.relief_days, row.relief_ended) == (14, True)


def test_it_rebuilds_the_same_rows_for_the_clinic(cast, sessions):
    first, _ = sessions
    answer_two_weeks(first, cast.nurse, nrs=3)
    fields = [f.name for f in SessionOutcome._meta.concrete_fields if f.name not in ("id",)]
    fields.remove("computed_at")
    before = list(SessionOutcome.objects.order_by("day").values(*fields))
    before_facets = sorted(
        SessionFacet.objects.values_list("outcome__visit", "dimension", "value", "resp50_2w")
    )
    SessionOutcome.objects.filter(clinic=cast.clinic).delete()
    now = timezone.now()
    assert services.refresh_next_steps_for_clinic(clinic=cast.clinic, now=now) >= 1
    after = list(SessionOutcome.objects.order_by("day").values(*fields))
    assert after == before and len(after) == 2
    assert (
        sorted(
            SessionFacet.objects.values_list("outcome__visit", "dimension", "value", "resp50_2w")
        )
        == before_facets
    )
    assert set(SessionOutcome.objects.values_list("computed_at", flat=True)) == {now}


def day_counts(clinic) -> list[tuple]:
    fields = ["dimension", "value", "day", *daycounts.COUNTS]
    rows = DayCount.objects.filter(clinic=clinic).order_by("dimension", "value", "day")
    checkins = CheckinCount.objects.filter(clinic=clinic).order_by("day", "checkpoint")
    return [row for row in rows.values_list(*fields) if any(row[3:])] + [
        row
        for row in checkins.values_list("day", "checkpoint", "due_on", "due", "answered")
        if row[3]
    ]


def test_it_chains_and_counts_each_session_as_it_stores_it(cast, sessions):
    """Signing and a check-in keep the day counts equal to a recount, and chain each
    session to the patient's previous one overall and in each group."""
    first, second = sessions
    answer_two_weeks(first, cast.nurse, nrs=3)
    row, earlier = stored(second), stored(first)
    assert (row.previous_day, row.previous_day_2, earlier.previous_day) == (earlier.day, None, None)
    by_group = dict(SessionFacet.objects.filter(outcome=row).values_list("value", "previous_day"))
    assert by_group["trapezius_upper"] == earlier.day and by_group["levator_scapulae"] is None
    # The first has a durability time now, the second none: no followed chain on it.
    assert row.previous_followed_day is None
    kept = day_counts(cast.clinic)
    everyone = {
        (r[0], r[2]): dict(zip(daycounts.COUNTS, r[3:], strict=True)) for r in kept if not r[0]
    }
    assert everyone[("", earlier.day)]["returns"] == 1  # the second session points back here
    assert everyone[("", earlier.day)]["followed"] == 1
    # The check-ins of both sessions, the first's two-week one answered.
    week_2 = [r for r in kept if r[1:2] == ("week_2",) and r[0] == earlier.day]
    assert [(r[3], r[4]) for r in week_2] == [(1, 1)]
    daycounts.rebuild(cast.clinic.pk)
    assert day_counts(cast.clinic) == kept
