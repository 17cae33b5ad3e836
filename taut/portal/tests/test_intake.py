"""The pre-visit intake and pain drawing a patient completes from the booking link."""

from datetime import timedelta

import pytest
import time_machine
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.audit.models import Action, AuditEvent
from taut.clinical import screening
from taut.drawings.models import PainDrawing
from taut.links import Purpose
from taut.patients import services as patients
from taut.patients.models import Allergy
from taut.tests.cast import acting, make_patient
from taut.visits.models import Goal, Intake
from taut.visits.tests import flow

ACTOR = "patient (portal)"


@pytest.fixture
def visit(cast):
    return flow.scheduled(cast.patient, cast.front_desk, when=timezone.now() + timedelta(days=3))


def url(visit):
    return reverse("portal:intake", kwargs={"token": links.intake_token(visit)})


def answers(**changes):
    """Every question answered as a patient with a plain, single-site neck pain would."""
    data = {
        "reason": "Pain in my neck and shoulder that stops me sleeping",
        "index_region": "shoulder_top",
        "index_side": "left",
        "pain_months": "8",
        "nrs_now": "6",
        "nrs_average": "5",
        "nrs_worst": "8",
        "peg_pain": "5",
        "peg_enjoyment": "6",
        "peg_activity": "4",
        "conservative_care": "Stretching and ibuprofen",
        "conservative_care_weeks": "10",
        "previous_tpi": "no",
        "goal_1": "Sleep through the night",
        "goal_2": "Turn my head when I drive",
    }
    for question in screening.PATIENT_SAFETY_QUESTIONS:
        data[question.id] = "no"
    for group in screening.PATIENT_RED_FLAG_SETS.values():
        for question in group:
            data[f"rf:{question.id}"] = "no"
    data.update(changes)
    return data


def drawing(**changes):
    data = {
        "step": "drawing",
        "mark": ["shoulder_top:left", "neck_posterior_lower:left"],
        "intensity:shoulder_top:left": "7",
        "intensity:neck_posterior_lower:left": "5",
        "quality:shoulder_top:left": ["aching"],
    }
    data.update(changes)
    return data


def send(client, visit, **changes):
    return client.post(url(visit), {**answers(), **drawing(), **changes})


def test_it_shows_the_questions_in_plain_words_from_a_valid_link(client, visit):
    """The clinical wording comes from taut.clinical.screening, in its patient version."""
    response = client.get(url(visit))
    page = response.content.decode()
    assert response.status_code == 200
    assert "data-intake-steps" in page and page.count("data-step>") == 11
    assert "Back of the neck, just under the skull" in page  # plain words for the areas
    assert "suboccipital" not in page.lower()
    assert screening.PATIENT_SAFETY_QUESTIONS[0].text in page
    assert screening.BACK_RED_FLAGS[0].patient_text in page
    assert screening.BACK_RED_FLAGS[0].text not in page  # the clinician's wording
    assert "Hoffmann" not in page  # examination findings are not asked of patients
    assert "What number best describes your pain on average in the past week?" in page


def test_it_moves_on_to_the_body_map_without_saving_anything(client, visit):
    response = client.post(url(visit), answers())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Last step: the body map" in page and "data-painter" in page
    assert "Muscles to examine" not in page  # no clinician suggestions for patients
    assert "Your left: Top of the shoulder" in page
    assert 'name="rf:back.saddle_numbness" value="no"' in page  # the answers travel on
    assert not Intake.objects.exists() and not PainDrawing.objects.exists()
    assert client.get(url(visit)).status_code == 200  # the link is still open


def test_it_saves_the_intake_and_drawing_as_the_patients_report(client, cast, visit):
    response = send(client, visit)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thank you" in page and "list of all the drugs" in page
    intake = Intake.objects.get(visit=visit)
    assert intake.source == Intake.Source.PATIENT and intake.awaiting_review
    assert intake.recorded_by is None
    assert (intake.nrs_now, intake.nrs_worst, intake.peg_enjoyment) == (6, 8, 6)
    assert intake.index_side == "left" and intake.conservative_care_weeks == 10
    # Not asked of patients: the indication, the steroid (the clinician's to decide, not a
    # forced "no") and examination findings stay open.
    assert intake.indications is None and intake.steroid_planned is None
    assert intake.red_flags["neck.long_tract_signs"] is None
    assert intake.red_flags["back.saddle_numbness"] is False
    assert intake.verdict_status == "pending"
    codes = {r["code"] for r in intake.verdict_reasons}
    assert {"missing.indications", "missing.myelopathy_signs"} <= codes
    assert [g.text for g in Goal.objects.filter(visit=visit)] == [
        "Sleep through the night",
        "Turn my head when I drive",
    ]
    visit.refresh_from_db()
    assert visit.state == visit.State.INTAKE_DONE
    assert visit.drawing.source == PainDrawing.Source.PATIENT
    assert visit.drawing.patient == cast.patient
    marks = {(m.region, m.side, m.intensity) for m in visit.drawing.marks.all()}
    assert marks == {("shoulder_top", "left", 7), ("neck_posterior_lower", "left", 5)}


def test_it_audits_the_submission_as_the_patient(client, visit):
    before = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    send(client, visit)
    events = AuditEvent.objects.filter(id__gt=before)
    kinds = {(e.object_type, e.action) for e in events}
    assert {("intake", Action.CREATE), ("pain_drawing", Action.CREATE)} <= kinds
    assert ("visit", Action.UPDATE) in kinds
    assert {e.actor_username for e in events} == {ACTOR}
    assert {e.patient_id for e in events} == {visit.patient.public_id}
    assert all(e.actor_id is None for e in events)


def test_it_refuses_the_link_once_the_answers_are_sent(client, visit):
    send(client, visit)
    again = send(client, visit, reason="A second try")
    assert again.status_code == 410
    assert "already been sent" in again.content.decode()
    assert Intake.objects.get().reason.startswith("Pain in my neck")
    assert PainDrawing.objects.count() == 1
    assert client.get(url(visit)).status_code == 410


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("nrs_now", "11", "Please choose a number from 0 to 10."),
        ("nrs_worst", "2", "Your worst pain can"),
        ("pregnant", "", "Please choose Yes, No or Not sure."),
        ("index_region", "spleen", "Select a valid choice"),
        ("pain_months", "-3", "whole number from 0 to 1200"),
        ("goal_1", "", "Please write at least one goal."),
    ],
)
def test_it_refuses_bad_answers_and_saves_nothing(client, visit, field, value, message):
    response = send(client, visit, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "data-intake-steps" in response.content.decode()
    assert not Intake.objects.exists() and not PainDrawing.objects.exists()
    visit.refresh_from_db()
    assert visit.version == 1


def test_it_asks_for_a_drawing_or_no_pain_and_saves_nothing(client, visit):
    response = client.post(url(visit), {**answers(), "step": "drawing"})
    assert response.status_code == 400
    assert "show where it hurts on the body" in response.content.decode()
    assert not Intake.objects.exists() and not PainDrawing.objects.exists()


def test_it_refuses_an_unknown_body_region_and_saves_nothing(client, visit):
    response = send(client, visit, mark=["spleen:left"])
    assert response.status_code == 400
    assert "Unknown body region" in response.content.decode()
    assert not Intake.objects.exists() and not PainDrawing.objects.exists()


def test_it_accepts_no_pain_anywhere(client, visit):
    response = client.post(url(visit), {**answers(), "step": "drawing", "no_pain": "on"})
    assert response.status_code == 200
    assert Intake.objects.get().visit.drawing.no_pain


def test_it_keeps_the_drawing_when_going_back_to_the_questions(client, visit):
    back = send(client, visit, back="1")
    page = back.content.decode()
    assert back.status_code == 200 and "data-intake-steps" in page
    assert 'name="mark" value="shoulder_top:left"' in page
    forward = client.post(url(visit), {**answers(), "mark": ["shoulder_top:left"],
                                       "intensity:shoulder_top:left": "7"})  # fmt: skip
    assert 'aria-checked="true"' in forward.content.decode()
    assert not Intake.objects.exists()


def test_it_stores_not_sure_as_unanswered(client, visit):
    send(client, visit, pregnant="unsure", **{"rf:neck.fever": "unsure"})
    intake = Intake.objects.get()
    assert intake.pregnant is None and intake.red_flags["neck.fever"] is None


def test_it_puts_the_side_aside_for_a_midline_region(client, visit):
    send(client, visit, index_region="sacrum", index_side="left")
    assert Intake.objects.get().index_side == ""


def test_it_keeps_what_the_chart_knows_about_allergies(client, cast, visit):
    """A local-anaesthetic allergy on the chart counts even if the patient left it out."""
    entry = Allergy(agent="Lidocaine", reaction="Hives", anaesthetic="lidocaine")
    patients.add_chart_entry(patient=cast.patient, entry=entry, actor=acting(cast.nurse))
    send(client, visit, anaesthetic_allergies=["bupivacaine"])
    assert Intake.objects.get().anaesthetic_allergies == ["bupivacaine", "lidocaine"]


def test_it_asks_a_patient_with_a_red_flag_to_call_the_clinic(client, visit):
    response = send(client, visit, **{"rf:back.fever": "yes"})
    assert "Please call Test Clinic today." in response.content.decode()
    assert Intake.objects.get().verdict_status == "not_eligible"


def test_it_tells_a_patient_with_an_emergency_red_flag_to_call_911(client, visit):
    """Saddle numbness (cauda equina [S25]): an emergency, no longer "call today"."""
    response = send(client, visit, **{"rf:back.saddle_numbness": "yes"})
    assert "Call 911 now. This could be an emergency." in response.content.decode()
    assert Intake.objects.get().verdict_status == "not_eligible"


def test_it_refuses_an_expired_link(client, visit):
    link = url(visit)
    with time_machine.travel(visit.scheduled_for + timedelta(minutes=1)):
        response = client.get(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    denied = AuditEvent.objects.filter(action=Action.DENIED, object_type="portal").last()
    assert denied.details["reason"] == "expired"


def test_it_refuses_a_tampered_link(client, visit):
    token = links.intake_token(visit)
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    response = client.get(reverse("portal:intake", kwargs={"token": tampered}))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert client.post(reverse("portal:intake", kwargs={"token": tampered}),
                       {**answers(), **drawing()}).status_code == 404  # fmt: skip
    assert not Intake.objects.exists()


def test_it_refuses_a_link_for_one_patient_that_names_another_patients_visit(client, cast, visit):
    other = make_patient(cast.clinic, cast.front_desk, mrn="T0002", given_name="Bea",
                         family_name="Other", email="bea@example.org")  # fmt: skip
    theirs = flow.scheduled(other, cast.front_desk, when=timezone.now() + timedelta(days=2))
    token = links.make_token(
        purpose=Purpose.INTAKE,
        patient=cast.patient,
        object_id=theirs.public_id,
        expires=links.intake_expiry(theirs),
    )
    link = reverse("portal:intake", kwargs={"token": token})
    for response in (client.get(link), client.post(link, {**answers(), **drawing()})):
        page = response.content.decode()
        assert response.status_code == 404
        assert "Bea" not in page and "Other" not in page and "Quillbrook" not in page
    assert not Intake.objects.exists()


def test_it_refuses_a_check_in_link_for_the_intake(client, visit):
    token = links.make_token(
        purpose=Purpose.CHECKIN,
        patient=visit.patient,
        object_id=visit.public_id,
        expires=visit.scheduled_for,
    )
    response = client.get(reverse("portal:intake", kwargs={"token": token}))
    assert response.status_code == 404


def test_it_closes_the_link_once_staff_have_entered_the_intake(client, cast, visit):
    link = url(visit)
    flow.with_intake(visit, cast.nurse)
    response = client.post(link, {**answers(), **drawing()})
    assert response.status_code == 410
    assert Intake.objects.get().source == Intake.Source.STAFF
    assert not PainDrawing.objects.exists()


def test_it_audits_each_view_of_the_form(client, visit):
    before = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    client.get(url(visit))
    client.post(url(visit), answers())
    views = AuditEvent.objects.filter(id__gt=before, action=Action.VIEW)
    assert views.count() == 2
    assert {e.actor_username for e in views} == {ACTOR}
    assert views.order_by("id").last().details["step"] == "drawing"


def test_it_lets_a_keyboard_skip_to_the_body_map_the_list_and_send(client, visit):
    page = client.post(url(visit), answers()).content.decode()
    assert 'href="#bodymap" data-skip-map>Skip to the body map' in page
    assert 'href="#list-view" data-skip-list>Choose from a list instead' in page
    assert 'href="#drawing-save" data-skip-save>Skip to “Send my answers”' in page
    assert page.count('tabindex="0" role="checkbox"') == 1  # the map is one Tab stop
