"""What a session and a patient add to the aftercare a patient reads, through the pages:
a steroid (and diabetes with it), a blood thinner; and the blood sugar check-in question
(issue 11, "What patients read"). Sources: [S9], [S22] (steroid), [S8b], [S9] (bleeding).

The steroid is set on the signed session's sites directly: recording it through the site
form is issue 11 point 7 (another branch)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from taut.aftercare.models import Alert, CheckIn
from taut.aftercare.queries import questions_for
from taut.aftercare.tests import flow
from taut.tests.cast import acting, sign_in
from taut.visits.models import InjectionSite, Intake
from taut.workflows import followup


@pytest.fixture
def steroid_session(cast):
    visit = flow.signed(cast.patient, cast.clinician)
    InjectionSite.objects.filter(procedure__visit=visit).update(
        steroid="triamcinolone", steroid_mg=Decimal("40")
    )
    Intake.objects.filter(visit=visit).update(diabetes=True, anticoagulant_or_antiplatelet=True)
    return visit


def instructions(client, cast, visit):
    sign_in(client, cast.nurse)
    url = reverse("aftercare:instructions", args=[cast.patient.public_id, visit.public_id])
    return client.get(url).content.decode()


def test_it_adds_steroid_blood_sugar_and_blood_thinner_advice(client, cast, steroid_session):
    body = instructions(client, cast, steroid_session)
    assert body.index("Get help now") < body.index("What to expect")  # the emergency first
    assert "You also had a steroid in your shots." in body
    assert "Check your blood sugar more often for the next 3 days." in body
    assert "You take a blood thinner, so you may bruise more than most people." in body
    assert "throat swell" in body  # a drug was given: a severe allergic reaction
    assert "([S9], [S22] (steroid: raised blood glucose, skin or fat atrophy); verified)" in body


def test_it_leaves_the_advice_out_without_a_steroid_or_blood_thinner(client, cast):
    visit = flow.signed(cast.patient, cast.clinician)
    body = instructions(client, cast, visit)
    assert "steroid" not in body and "blood thinner" not in body
    assert "The numbness should go away in a few hours" in body  # lidocaine was given


def test_it_asks_about_blood_sugar_at_day_1_and_alerts_on_a_yes(cast, steroid_session):
    checkin = CheckIn.objects.get(visit=steroid_session, checkpoint="day_1")
    asked, _ = questions_for(checkin)
    assert "blood_sugar" in {q.id for q in asked}
    followup.record_checkin(
        checkin=checkin,
        answers=flow.answers(checkin, blood_sugar="yes"),
        actor=acting(cast.nurse),
    )
    alert = Alert.objects.get(checkin=checkin)
    assert (alert.code, alert.severity) == ("blood_sugar", "soon")


def test_it_does_not_ask_about_blood_sugar_without_diabetes(cast, steroid_session):
    Intake.objects.filter(visit=steroid_session).update(diabetes=False)
    checkin = CheckIn.objects.get(visit=steroid_session, checkpoint="day_1")
    asked, _ = questions_for(checkin)
    assert "blood_sugar" not in {q.id for q in asked}


@pytest.mark.parametrize("answer", ["chest_pain", "last_symptoms"])  # a site over the lung
def test_it_tells_staff_on_the_phone_to_send_the_patient_to_911(client, cast, answer):
    """A phone check-in with an emergency sign: the nurse is told to say "call 911" now."""
    visit = flow.signed(cast.patient, cast.clinician)  # upper back with lidocaine
    checkin = CheckIn.objects.get(visit=visit, checkpoint="day_1")
    sign_in(client, cast.nurse)
    url = reverse("aftercare:checkin", args=[cast.patient.public_id, checkin.public_id])
    response = client.post(url, flow.form_data(checkin, **{answer: "yes"}), follow=True)
    body = response.content.decode()
    assert "Tell the patient to call 911 now" in body
    assert Alert.objects.get(checkin=checkin).severity == "urgent"


def test_it_does_not_send_a_same_day_sign_to_911(client, cast):
    visit = flow.signed(cast.patient, cast.clinician)
    checkin = CheckIn.objects.get(visit=visit, checkpoint="day_1")
    sign_in(client, cast.nurse)
    url = reverse("aftercare:checkin", args=[cast.patient.public_id, checkin.public_id])
    body = client.post(url, flow.form_data(checkin, infection="yes"), follow=True).content.decode()
    # Not a bare "911": a random id in the page (a UUID, a token) may contain those digits.
    assert "call 911" not in body.lower() and 'href="tel:911"' not in body
    assert "check-in recorded" in body
