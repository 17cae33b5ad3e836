"""The chart's follow-up card, the worklist and the aftercare handout run the same number
of queries however many sessions, check-ins, alerts and patients there are."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from taut.aftercare.tests import flow
from taut.tests.cast import acting, make_patient
from taut.tests.query_counts import queries_to_get
from taut.visits.tests import flow as visit_flow
from taut.workflows import followup

WORKLIST = reverse("aftercare:worklist")


def session_with_alert(patient, cast, *, days_ago, sites=None):
    """A session signed ``days_ago`` days ago whose Day 1 check-in (answered that day)
    reported a wound infection and chest pain: two open alerts, the rest of its check-ins
    open (due, overdue or upcoming by now). It is signed at the clinic's noon that day, so
    the session's day is ``days_ago`` clinic days back even just after midnight."""
    local = timezone.localtime(timezone.now(), cast.clinic.zone())
    with time_machine.travel(local.replace(hour=12, minute=0) - timedelta(days=days_ago)):
        visit = flow.signed(patient, cast.clinician, sites=sites)
        day_1 = visit.checkins.get(checkpoint="day_1")
        answers = flow.answers(day_1, infection="yes", chest_pain="yes")
        followup.record_checkin(checkin=day_1, answers=answers, actor=acting(cast.nurse))
    return visit


def patient(cast, number):
    return make_patient(cast.clinic, cast.front_desk, mrn=f"T{number:04d}", given_name=f"P{number}")


def test_it_shows_the_follow_up_card_in_the_same_number_of_queries_however_many_sessions(
    client, cast, signed_in
):
    url = reverse("aftercare:chart_section", args=[cast.patient.public_id])
    session_with_alert(cast.patient, cast, days_ago=60)
    signed_in(cast.nurse)
    few = [len(queries_to_get(client, url, htmx=htmx)) for htmx in (True, False)]
    for days_ago in (30, 8):
        session_with_alert(cast.patient, cast, days_ago=days_ago)
    response = client.get(url)
    assert len(response.context["sessions"]) == 3 and len(response.context["alerts"]) == 6
    assert [len(queries_to_get(client, url, htmx=htmx)) for htmx in (True, False)] == few


def test_it_shows_the_worklist_in_the_same_number_of_queries_however_many_patients(
    client, cast, signed_in
):
    session_with_alert(cast.patient, cast, days_ago=10)
    signed_in(cast.nurse)
    chase = client.get(WORKLIST).context["chase"]
    assert chase["due"] and chase["overdue"]  # every kind of row, from the first count
    few = queries_to_get(client, WORKLIST)
    for number in range(2, 4):
        session_with_alert(patient(cast, number), cast, days_ago=10)
    response = client.get(WORKLIST)
    assert len(response.context["alerts"]) == 6
    assert len(queries_to_get(client, WORKLIST)) == len(few)


def test_it_prints_the_handout_in_the_same_number_of_queries_however_many_sites(
    client, cast, signed_in
):
    def page(name, visit):
        return reverse(name, args=[visit.patient.public_id, visit.public_id])

    few_visit = flow.signed(cast.patient, cast.clinician, sites=[visit_flow.site(ml="1")])
    muscles = ("trapezius_upper", "levator_scapulae", "rhomboids", "infraspinatus", "scalenes")
    sites = [
        visit_flow.site(m, side, ml="1", high_risk_confirmed=m == "scalenes")
        for m in muscles
        for side in ("left", "right")
    ]
    more_visit = flow.signed(cast.patient, cast.clinician, sites=sites)
    signed_in(cast.nurse)
    for name in ("aftercare:instructions", "aftercare:instructions_pdf"):
        few = queries_to_get(client, page(name, few_visit))
        assert len(queries_to_get(client, page(name, more_visit))) == len(few), name
