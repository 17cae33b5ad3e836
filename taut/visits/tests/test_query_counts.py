"""The visit lists and the visit's pages run the same number of queries however many
visits, findings, sites, goals, addenda and earlier sessions there are, and each visit page
at most ``MAX_QUERIES``."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from taut.aftercare.tests import flow as aftercare_flow
from taut.atlas.forms import MarkInput
from taut.drawings.services import record_drawing
from taut.tests.cast import acting, make_patient
from taut.tests.query_counts import MAX_QUERIES, queries_to_get
from taut.visits.services import intake, note
from taut.visits.tests import flow
from taut.visits.tests.test_patient_intake import reported

VISIT_PAGES = ("visits:detail", "visits:intake", "visits:exam", "visits:procedure", "visits:note")
# Muscles added to a visit: examined and injected on both sides, 1 mL of 1 % lidocaine each
# (10 mg), which keeps the session's dose under the limit for 70 kg.
MUSCLES = ("levator_scapulae", "rhomboids", "infraspinatus", "supraspinatus")
PLACES = ("head_temporal", "shoulder_top", "neck_lateral", "scapula_infraspinous")
ON_BLOOD_THINNERS = {"anticoagulant_or_antiplatelet": True}


@pytest.fixture
def at_noon(cast):
    """Noon in the clinic, so a visit booked "now" is today on the clinic's clock."""
    noon = datetime(2026, 3, 10, 12, tzinfo=cast.clinic.zone())
    with time_machine.travel(noon, tick=False):
        yield noon


def url(name, visit):
    return reverse(name, args=[visit.patient.public_id, visit.public_id])


def patient(cast, number):
    return make_patient(cast.clinic, cast.front_desk, mrn=f"T{number:04d}", given_name=f"P{number}")


def today_and_reported(cast, number, noon):
    """A patient with a visit today and a coming visit whose intake they sent."""
    someone = patient(cast, number)
    flow.scheduled(someone, cast.front_desk, when=noon + timedelta(hours=1))
    reported(flow.scheduled(someone, cast.front_desk, when=noon + timedelta(days=2)))


def test_it_lists_the_day_in_the_same_number_of_queries_however_many_visits(
    client, cast, signed_in, at_noon
):
    signed_in(cast.clinician)
    today_and_reported(cast, 2, at_noon)
    few = queries_to_get(client, reverse("visits:day_list"))
    for number in range(3, 5):
        today_and_reported(cast, number, at_noon)
    response = client.get(reverse("visits:day_list"))
    assert len(response.context["visits"]) == 3 and len(response.context["to_review"]) == 3
    assert len(queries_to_get(client, reverse("visits:day_list"))) == len(few)
    # (The cast's clinician has none of these visits: an empty page reads no rows.)
    assert len(queries_to_get(client, reverse("visits:day_list"), data={"mine": "1"})) <= len(few)


def test_it_lists_a_patients_visits_in_the_same_number_of_queries_however_many(
    client, cast, signed_in
):
    section = reverse("visits:chart_section", args=[cast.patient.public_id])
    # 10 mg a session: the sessions fall within 24 hours, and the dose guard adds them up.
    small = [flow.site(ml="1")]
    aftercare_flow.signed(cast.patient, cast.clinician, sites=small)
    flow.scheduled(cast.patient, cast.front_desk)
    signed_in(cast.clinician)
    few = [len(queries_to_get(client, section, htmx=htmx)) for htmx in (True, False)]
    for _ in range(2):
        aftercare_flow.signed(cast.patient, cast.clinician, sites=[flow.site(ml="1")])
        flow.scheduled(cast.patient, cast.front_desk)
    assert [len(queries_to_get(client, section, htmx=htmx)) for htmx in (True, False)] == few


def drawing(cast, places):
    """A pain drawing with both sides of each of ``places`` marked."""
    marks = [MarkInput(p, side, 6, ("aching",)) for p in places for side in ("left", "right")]
    return record_drawing(
        patient=cast.patient,
        marks=marks,
        no_pain=False,
        examine=[("trapezius_upper", "left")],
        actor=acting(cast.nurse),
    )


def with_goals_and_drawing(visit, by, goals, drawn):
    """The intake saved again with ``goals`` and the drawing ``drawn`` attached (on an
    antithrombotic: screening needs a clinician's decision)."""
    data = {**flow.ELIGIBLE, "red_flags": flow.red_flag_answers(), **ON_BLOOD_THINNERS}
    goals = [(text, -1) for text in goals]
    intake.save_intake(
        visit=visit, version=visit.version, data=data, goals=goals, actor=acting(by), drawing=drawn
    )
    visit.refresh_from_db()
    return visit


def decided(visit, by):
    """The clinician's decision to proceed, on the "needs review" verdict."""
    reason = "INR in range; small needles; pressure after."
    intake.record_decision(
        visit=visit, version=visit.version, kind="proceed", reason=reason, actor=acting(by)
    )
    visit.refresh_from_db()
    return visit


def test_it_shows_each_visit_page_in_the_same_number_of_queries_however_many_records(
    client, cast, signed_in
):
    """Findings, sites, goals, screening decisions and the drawing's marks: the detail,
    intake, exam, procedure and draft note pages, each within ``MAX_QUERIES``."""
    by = cast.clinician
    visit = flow.with_intake(flow.scheduled(cast.patient, by), by, **ON_BLOOD_THINNERS)
    visit = with_goals_and_drawing(visit, by, ["Sleep"], drawing(cast, PLACES[:1]))
    visit = decided(visit, by)
    visit = flow.consented(flow.examined(visit, by), by)
    visit = flow.finished(flow.with_sites(visit, by, [flow.site(ml="1")]), by)
    signed_in(by)
    few = {name: len(queries_to_get(client, url(name, visit))) for name in VISIT_PAGES}

    goals = [f"Goal {n}" for n in range(5)]
    visit = with_goals_and_drawing(visit, by, goals, drawing(cast, PLACES))
    for _ in range(3):
        visit = decided(visit, by)
    pairs = [(muscle, side) for muscle in MUSCLES for side in ("left", "right")]
    visit = flow.examined(visit, by, pairs)
    visit = flow.with_sites(visit, by, [flow.site(m, s, ml="1") for m, s in pairs])
    assert visit.findings.count() == 9 and visit.procedure.sites.count() == 9
    assert visit.decisions.count() == 4
    more = {name: queries_to_get(client, url(name, visit)) for name in VISIT_PAGES}
    assert {name: len(queries) for name, queries in more.items()} == few
    for name, queries in more.items():
        assert len(queries) <= MAX_QUERIES, (name, queries)


def signed_with_history(cast, someone, *, sessions, sites, addenda):
    """``sessions`` signed sessions of ``someone`` two weeks apart, the last with ``sites``
    injection sites (1 mL each) and ``addenda`` addenda."""
    start = datetime(2026, 1, 5, 10, tzinfo=cast.clinic.zone())
    for number in range(sessions):
        chosen = [flow.site(muscle, ml="1") for muscle in MUSCLES[:sites]]
        with time_machine.travel(start + timedelta(days=number * 14), tick=False):
            last = number == sessions - 1
            visit = aftercare_flow.signed(someone, cast.clinician, sites=chosen if last else None)
    for number in range(addenda):
        text = f"Addendum number {number}."
        note.add_addendum(note=visit.note, text=text, actor=acting(cast.clinician))
    return visit


def test_it_shows_a_signed_note_and_its_pdf_in_the_same_number_of_queries_however_many_records(
    client, cast, signed_in
):
    """Sites, addenda and the patient's earlier sessions (the payer history and the outcomes
    appendix); the note page within ``MAX_QUERIES``."""
    few_visit = signed_with_history(cast, cast.patient, sessions=2, sites=1, addenda=1)
    more_visit = signed_with_history(cast, patient(cast, 2), sessions=3, sites=4, addenda=4)
    signed_in(cast.clinician)
    for name in ("visits:note", "visits:pdf"):
        few = queries_to_get(client, url(name, few_visit))
        more = queries_to_get(client, url(name, more_visit))
        assert len(more) == len(few), name
        if name == "visits:note":
            assert len(more) <= MAX_QUERIES, more
