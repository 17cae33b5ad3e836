"""The patient's check-in through the portal: questions in the patient's words, answers
recorded as the patient's (audited so), warning answers raising alerts at once and telling
the patient to call, bad input saving nothing."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.aftercare.models import Alert, CheckIn
from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.patients.models import Patient
from taut.portal.access import ACTOR
from taut.tests.words import NINE_ONE_ONE
from taut.visits.models import InjectionSite


def url(checkin):
    return reverse("portal:checkin", kwargs={"token": links.checkin_token(checkin)})


def test_it_asks_each_question_as_a_fieldset_with_a_legend(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    with on_day(checkin.due_on):
        response = client.get(url(checkin))
    body = response.content.decode()
    form = response.context["form"]
    assert body.count("<fieldset") == len(form.fields) == 8
    assert body.count('<legend class="question-text"') == 8
    assert "How bad is the pain we are treating, right now?" in body
    assert "Is any place where a needle went in red, warm, swollen" in body
    assert "portal-checkin.js" in body and "<script>" not in body
    assert "site-reminder" not in body  # muscles only: no ligament or tendon box


def test_it_records_the_answers_as_the_patients(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    with on_day(checkin.due_on):
        response = client.post(url(checkin), flow.form_data(checkin, nrs=2))
    assert response.status_code == 200
    assert "We have your answers" in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.completed and checkin.nrs == 2
    assert checkin.source == CheckIn.Source.PATIENT and checkin.recorded_by is None
    event = AuditEvent.objects.get(object_type="checkin", object_id=str(checkin.public_id))
    assert event.action == Action.UPDATE
    assert event.actor_username == ACTOR and event.actor_id is None
    assert event.details["source"] == "patient"


def test_it_raises_an_alert_at_once_and_tells_the_patient_to_call(client, cast, visit, on_day):
    cast.clinic.phone = "555-0100"
    cast.clinic.save(update_fields=["phone"])
    checkin = visit.checkins.get(checkpoint="week_1")
    with on_day(checkin.due_on):
        response = client.post(url(checkin), flow.form_data(checkin, infection="yes"))
    alert = Alert.objects.get(checkin=checkin)
    assert alert.code == "infection" and alert.open
    assert AuditEvent.objects.get(object_type="alert").actor_username == ACTOR
    body = response.content.decode()
    assert "Please call Test Clinic now at 555-0100." in body
    assert 'href="tel:555-0100"' in body
    assert "ambulance" not in body  # infection: call the clinic, not an ambulance
    assert not NINE_ONE_ONE.search(body)  # a same-day sign, not an emergency


def test_it_tells_the_patient_to_call_911_first_for_chest_pain(client, cast, visit, on_day):
    """An emergency answer: the emergency instruction first, and an urgent alert (issue 11)."""
    cast.clinic.phone = "555-0100"
    cast.clinic.save(update_fields=["phone"])
    checkin = visit.checkins.get(checkpoint="day_1")
    with on_day(checkin.due_on):
        response = client.post(url(checkin), flow.form_data(checkin, chest_pain="yes"))
    body = response.content.decode()
    emergency = body.index("Call 911 now if you still have any of these signs.")
    assert emergency < body.index("If you are short of breath or have chest pain now, call 911.")
    assert emergency < body.index("Please call Test Clinic now at 555-0100.")
    assert 'href="tel:911"' in body
    assert Alert.objects.get(checkin=checkin).severity == "urgent"


def test_it_tells_a_patient_with_signs_of_toxicity_to_call_911(client, cast, visit, on_day):
    """Before issue 11 they were told "call us at once"."""
    cast.clinic.phone = "555-0100"
    cast.clinic.save(update_fields=["phone"])
    checkin = visit.checkins.get(checkpoint="day_1")
    with on_day(checkin.due_on):
        response = client.post(url(checkin), flow.form_data(checkin, last_symptoms="yes"))
    body = response.content.decode()
    assert body.index("Call 911 now") < body.index("Please call Test Clinic now")
    assert Alert.objects.get(checkin=checkin).severity == "urgent"


def test_it_uses_the_clinics_own_emergency_number(client, cast, visit, on_day):
    clinic = cast.patient.clinic
    clinic.emergency_number = "112"
    clinic.save(update_fields=["emergency_number"])
    checkin = visit.checkins.get(checkpoint="day_1")
    with on_day(checkin.due_on):
        response = client.post(url(checkin), flow.form_data(checkin, chest_pain="yes"))
    body = response.content.decode()
    assert "Call 112 now" in body and not NINE_ONE_ONE.search(body)


def test_it_links_the_thank_you_page_to_a_fresh_home_page(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    with on_day(checkin.due_on):
        response = client.post(url(checkin), flow.form_data(checkin))
        home = response.context["home_url"]
        assert client.get(home).status_code == 200


def test_it_gives_only_a_short_lived_home_link_after_a_check_in(
    client, cast, visit, on_day, settings
):
    """Whoever answered the (perhaps forwarded) check-in link gets a home link that lasts
    PORTAL_THANKS_LINK_HOURS, not the PORTAL_HOME_DAYS of one the clinic hands out."""
    settings.PORTAL_THANKS_LINK_HOURS = 24
    checkin = visit.checkins.get(checkpoint="week_1")
    with on_day(checkin.due_on):
        response = client.post(url(checkin), flow.form_data(checkin))
        sent = timezone.now()
    home = response.context["home_url"]
    link = links.read_token(home.split("/")[-2], purpose=links.Purpose.HOME, now=sent)
    assert sent + timedelta(hours=23) < link.expires <= sent + timedelta(hours=24)
    with time_machine.travel(sent + timedelta(hours=24, minutes=1), tick=False):
        assert client.get(home).status_code == 410


def test_it_rerenders_bad_input_with_errors_and_saves_nothing(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    data = flow.form_data(checkin, nrs=11)
    del data["infection"]
    with on_day(checkin.due_on):
        response = client.post(url(checkin), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please check your answers" in body and "Nothing has been sent yet" in body
    assert response.context["form"].errors.keys() >= {"nrs", "infection"}
    checkin.refresh_from_db()
    assert not checkin.completed and checkin.answers == {}
    assert not Alert.objects.exists()


def test_it_refuses_the_link_after_the_check_in_is_sent(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    with on_day(checkin.due_on):
        client.post(url(checkin), flow.form_data(checkin, nrs=2))
        again = client.get(url(checkin))
        resent = client.post(url(checkin), flow.form_data(checkin, nrs=9))
    assert again.status_code == resent.status_code == 410
    assert "already been sent" in again.content.decode()
    checkin.refresh_from_db()
    assert checkin.nrs == 2


def test_it_does_not_open_a_check_in_before_its_day(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_1")
    with on_day(checkin.due_on, days=-2):
        page = client.get(url(checkin))
        posted = client.post(url(checkin), flow.form_data(checkin))
    assert page.status_code == 200 and "is not open yet" in page.content.decode()
    assert "How bad is the pain" not in page.content.decode()
    assert posted.status_code == 403
    checkin.refresh_from_db()
    assert not checkin.completed


def test_it_asks_about_goals_with_a_choice_for_each(client, cast, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_6")
    with on_day(checkin.due_on):
        body = client.get(url(checkin)).content.decode()
        response = client.post(url(checkin), {**flow.form_data(checkin), "gas_1": "1"})
    assert "Sleep through the night" in body and 'type="radio" name="gas_1"' in body
    assert response.status_code == 200
    checkin.refresh_from_db()
    assert checkin.answers["gas"] == {str(visit.goals.get().pk): 1}


def test_it_names_a_steroid_tendon_in_spanish_and_asks_about_a_rupture(client, cast, visit, on_day):
    """Issue 15: the page names the tendon in the patient's words and language, repeats the
    handout's advice in a box, and asks about a snap or sudden pain; a "yes" raises an
    alert."""
    Patient.objects.filter(pk=cast.patient.pk).update(preferred_language="es")
    first = InjectionSite.objects.filter(procedure__visit=visit).order_by("id").first()
    first.muscle, first.steroid, first.steroid_mg = "common_extensor_origin", "triamcinolone", 40
    first.save(update_fields=["muscle", "steroid", "steroid_mg"])
    checkin = visit.checkins.get(checkpoint="week_1")
    with on_day(checkin.due_on):
        body = client.get(url(checkin)).content.decode()
        response = client.post(url(checkin), flow.form_data(checkin, tendon_rupture="yes"))
    box = body[body.index("site-reminder") : body.index("</section>")]
    assert "Sobre los lugares que tratamos" in box
    assert "el tendón del lado de afuera del codo" in box
    assert "cuídelo durante unas dos semanas" in box
    assert "¿sintió un chasquido o un dolor fuerte y repentino" in body
    assert response.status_code == 200
    assert Alert.objects.get(checkin=checkin).code == "tendon_rupture"
