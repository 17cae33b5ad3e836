"""The portal's language: the switch (a cookie for the portal's pages only), then the
patient's preferred language in the registry (English or Spanish, else English), and before
the patient is known the browser's Accept-Language. The switch never changes the registry."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.aftercare.services import record_checkin
from taut.aftercare.tests import flow
from taut.patients.models import Patient
from taut.portal.languages import COOKIE, COOKIE_PATH
from taut.tests.cast import patient_acting
from taut.tests.spanish import untranslated


def home(patient):
    return reverse("portal:home", kwargs={"token": links.home_token(patient, now=timezone.now())})


def checkin_url(checkin):
    return reverse("portal:checkin", kwargs={"token": links.checkin_token(checkin)})


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def prefer(patient, language):
    Patient.objects.filter(pk=patient.pk).update(preferred_language=language)
    patient.refresh_from_db()


def test_it_follows_the_registry_for_a_known_patient(client, cast, visit):
    prefer(cast.patient, "es")
    response = client.get(home(cast.patient), HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(response) == "es"
    assert response["Content-Language"] == "es"


def test_it_gives_english_to_a_patient_who_prefers_a_language_without_pages(client, cast, visit):
    prefer(cast.patient, "fr")
    response = client.get(home(cast.patient), HTTP_ACCEPT_LANGUAGE="es")
    assert html_lang(response) == "en"


def test_the_switch_wins_over_the_registry_and_is_kept_for_the_portal_only(client, cast, visit):
    prefer(cast.patient, "en")
    response = client.get(home(cast.patient) + "?lang=es")
    assert html_lang(response) == "es"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "es"
    assert cookie["path"] == COOKIE_PATH == "/p/"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    # Later pages, without ?lang=, keep the switch
    assert html_lang(client.get(home(cast.patient))) == "es"
    assert html_lang(client.get(reverse("portal:login"))) == "es"


def test_the_switch_never_changes_the_registry(client, cast, visit):
    prefer(cast.patient, "en")
    before = Patient.objects.values().get(pk=cast.patient.pk)
    client.get(home(cast.patient) + "?lang=es")
    assert Patient.objects.values().get(pk=cast.patient.pk) == before


def test_it_ignores_a_switch_to_a_language_without_pages(client, cast, visit):
    prefer(cast.patient, "es")
    response = client.get(home(cast.patient) + "?lang=fr")
    assert html_lang(response) == "es"
    assert COOKIE not in response.cookies


def test_every_portal_url_is_under_the_cookies_path():
    for name in ("login", "logout", "my_home", "my_password"):
        assert reverse(f"portal:{name}").startswith(COOKIE_PATH)
    assert reverse("portal:home", kwargs={"token": "x"}).startswith(COOKIE_PATH)


# With the module's records (unused here), so they are built once for it (taut/tests/once.py).
@pytest.mark.usefixtures("visit")
def test_the_sign_in_page_follows_the_browser(client):
    response = client.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="fr;q=0.9, es-MX;q=0.8")
    assert html_lang(response) == "es"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    response = client.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="de, fr")
    assert html_lang(response) == "en"
    assert html_lang(client.get(reverse("portal:login"))) == "en"


# With the module's records (unused here), so they are built once for it (taut/tests/once.py).
@pytest.mark.usefixtures("visit")
def test_a_refused_link_follows_the_browser_or_the_switch(client):
    url = reverse("portal:home", kwargs={"token": "not-a-token"})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    assert html_lang(response) == "es"
    assert "Este enlace no es válido" in response.content.decode()
    client.cookies[COOKIE] = "en"
    assert html_lang(client.get(url, HTTP_ACCEPT_LANGUAGE="es")) == "en"


def test_every_page_has_a_keyboard_reachable_switch_naming_each_language_in_itself(
    client, cast, visit
):
    body = client.get(home(cast.patient)).content.decode()
    assert '<a href="?lang=es" hreflang="es" lang="es">Español</a>' in body
    assert '<a href="?lang=en" hreflang="en" lang="en" aria-current="true">English</a>' in body


# --- every portal page in Spanish ------------------------------------------------------------


def spanish_page(response) -> str:
    """The page, checked to be in Spanish with no English sentence of the catalogue left."""
    assert html_lang(response) == "es", response.content.decode()[:200]
    body = response.content.decode()
    assert untranslated(body) == []
    return body


@pytest.fixture
def spanish(cast):
    prefer(cast.patient, "es")
    return cast.patient


def test_the_home_page_speaks_spanish(client, spanish, visit, on_day):
    week_1 = visit.checkins.get(checkpoint="week_1")
    record_checkin(
        checkin=visit.checkins.get(checkpoint="day_1"),
        answers=flow.answers(visit.checkins.get(checkpoint="day_1"), nrs=3),
        actor=patient_acting(spanish),
    )
    with on_day(week_1.due_on):
        body = spanish_page(client.get(home(spanish)))
    assert "Hola, Ada" in body
    assert "Responder su control de la semana 1" in body
    assert "Puede tener los músculos adoloridos por unos días." in body  # the handout
    assert "Pida ayuda ahora" in body and "Qué esperar" in body
    assert "Su puntaje de dolor más reciente es 3 de 10" in body
    assert "Control del día 1" in body  # the progress table
    assert re.search(r"Abierto hasta el \d+ de [a-z]+", body)


def test_a_check_in_speaks_spanish_and_its_answers_are_recorded(client, spanish, visit, on_day):
    checkin = visit.checkins.get(checkpoint="day_1")
    url = checkin_url(checkin)
    with on_day(checkin.due_on):
        body = spanish_page(client.get(url))
        assert "¿Qué tan fuerte es ahora el dolor que le estamos tratando?" in body
        assert "Enviar mis respuestas" in body
        assert ">Sí<" in body.replace("<span>", ">").replace("</span>", "<")
        bad = spanish_page(client.post(url, {"nrs": ""}))
        assert "Revise sus respuestas" in bad and "Todavía no se envió nada." in bad
        assert "Este campo es obligatorio." in bad  # Django's own Spanish
        done = spanish_page(client.post(url, flow.form_data(checkin, nrs=2)))
    assert "Recibimos sus respuestas." in done
    checkin.refresh_from_db()
    assert checkin.completed and checkin.nrs == 2


def test_the_advice_after_a_warning_answer_speaks_spanish(client, spanish, visit, on_day):
    checkin = visit.checkins.get(checkpoint="day_1")
    with on_day(checkin.due_on):
        data = flow.form_data(checkin, nrs=2, infection="yes")
        body = spanish_page(client.post(checkin_url(checkin), data))
    assert "Algunas de sus respuestas necesitan una llamada ahora" in body
    assert "Llame ahora a" in body


def test_a_check_in_not_open_yet_speaks_spanish(client, spanish, visit, on_day):
    checkin = visit.checkins.get(checkpoint="week_6")
    with on_day(checkin.due_on, days=-3):
        body = spanish_page(client.get(checkin_url(checkin)))
    assert "Su control de la semana 6 todavía no está abierto" in body
    assert re.search(r"Se abre el [a-záéíóú]+ \d+ de [a-z]+\.", body)


def test_refusals_speak_spanish(client, spanish, visit):
    expired = links.make_token(
        purpose=links.Purpose.HOME,
        patient=spanish,
        object_id=spanish.public_id,
        expires=timezone.now() - timedelta(days=1),
    )
    url = reverse("portal:home", kwargs={"token": expired})
    body = spanish_page(client.get(url, HTTP_ACCEPT_LANGUAGE="es"))
    assert "Este enlace ya venció." in body


def test_sign_in_and_password_pages_speak_spanish(client, spanish, visit, cast):
    cast.clinic.portal_passwords = True
    cast.clinic.save(update_fields=["portal_passwords"])
    token = links.home_token(spanish, now=timezone.now())
    url = reverse("portal:password", kwargs={"token": token})
    body = spanish_page(client.get(url))
    assert "Crear una contraseña" in body and "Su fecha de nacimiento" in body
    mismatch = {"password1": "lantern orchard", "password2": "lantern", "date_of_birth": ""}
    body = spanish_page(client.post(url, mismatch))
    assert "Las dos contraseñas no son iguales." in body
    password = "lantern orchard pebble"
    data = {"password1": password, "password2": password, "date_of_birth": "1970-05-17"}
    body = spanish_page(client.post(url, data))
    assert "Su contraseña está guardada" in body
    # Before sign-in the patient is not known: the browser's language decides.
    login = spanish_page(client.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="es"))
    assert "Entre para ver su atención" in login
    wrong = {"date_of_birth": "1970-05-17", "email": spanish.email, "password": "wrong words"}
    body = spanish_page(client.post(reverse("portal:login"), wrong, HTTP_ACCEPT_LANGUAGE="es"))
    assert "Esos datos no coinciden con nuestros registros." in body
    data = {"date_of_birth": "1970-05-17", "email": spanish.email, "password": password}
    client.post(reverse("portal:login"), data)
    body = spanish_page(client.get(reverse("portal:my_home")))
    assert "Salir" in body and "Su contraseña se cambió por última vez el" in body


def test_an_english_patient_reads_english(client, cast, visit):
    body = client.get(home(cast.patient)).content.decode()
    assert "Your muscles may be sore for a few days. This is common." in body
    assert "Hola" not in body
    # The checker that keeps English out of Spanish pages finds the English here.
    assert "Your muscles may be sore for a few days. This is common" in untranslated(body)


def test_the_progress_chart_keeps_svg_numbers_unlocalised_in_spanish(client, spanish, visit):
    """Spanish writes 36,0; an SVG length must be 36.0."""
    body = client.get(home(spanish)).content.decode()
    chart = body[body.index("<svg") : body.index("</svg>")]
    assert not re.search(r'="\d+,\d', chart), chart[:300]
