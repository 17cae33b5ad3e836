"""The portal's language: the switch (a cookie for the portal's pages only), then the
patient's preferred language in the registry (English or Spanish, else English), and before
the patient is known the browser's Accept-Language. The switch never changes the registry."""

import re

from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.patients.models import Patient
from taut.portal.languages import COOKIE, COOKIE_PATH


def home(patient):
    return reverse("portal:home", kwargs={"token": links.home_token(patient, now=timezone.now())})


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


def test_the_sign_in_page_follows_the_browser(client, db):
    response = client.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="fr;q=0.9, es-MX;q=0.8")
    assert html_lang(response) == "es"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    response = client.get(reverse("portal:login"), HTTP_ACCEPT_LANGUAGE="de, fr")
    assert html_lang(response) == "en"
    assert html_lang(client.get(reverse("portal:login"))) == "en"


def test_a_refused_link_follows_the_browser_or_the_switch(client, db):
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
