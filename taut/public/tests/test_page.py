"""The clinic's public page about trigger point injections: open to anyone, in English and
Spanish, switched off by the clinic lead (404), with the clinic's own paragraph."""

import html
import re

import pytest
from django.urls import reverse

from taut.accounts.models import Clinic
from taut.clinical import patient_education as education
from taut.public.tests.test_reading_level import catalogue_msgids
from taut.public.tests.test_selfcheck import post_data
from taut.tests.cast import sign_in


def url(clinic_slug="test", lang="en"):
    return reverse("public:page", kwargs={"clinic_slug": clinic_slug, "lang": lang})


@pytest.fixture
def clinic(cast):
    Clinic.objects.filter(pk=cast.clinic.pk).update(
        address="12 Elm Street\nSpringfield", phone="555-0100"
    )
    cast.clinic.refresh_from_db()
    return cast.clinic


def test_it_is_open_to_anyone_with_the_clinic_details(client, clinic):
    """No sign-in: the clinic's name, address and phone (a tel: link) on a phone-first page."""
    response = client.get(url())
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Test Clinic" in page and "12 Elm Street<br>Springfield" in page
    assert 'href="tel:555-0100"' in page
    assert 'name="viewport"' in page
    assert url() == "/c/test/en/trigger-point-injections/"


def test_it_shows_every_section_and_source(client, clinic):
    page = client.get(url()).content.decode()
    for section in education.SECTIONS:
        assert f'id="{section.id}-heading"' in page
        for item in section.items:
            assert item.text.replace("{number}", "911") in page.replace("&#x27;", "'")
    for source in education.SOURCES:
        assert f'id="source-{source.id}"' in page
    assert "Call 911 now if any of these happen." in page


def test_it_links_the_self_check_the_request_the_handout_and_the_other_language(client, clinic):
    page = client.get(url()).content.decode()
    assert 'href="/c/test/en/self-check/"' in page
    assert 'href="/c/test/en/appointment-request/"' in page
    assert 'href="/c/test/en/trigger-point-injections/handout.pdf"' in page
    assert 'href="/c/test/es/trigger-point-injections/" hreflang="es" lang="es"' in page
    assert (
        '<link rel="alternate" hreflang="es" href="/c/test/es/trigger-point-injections/">' in page
    )


def test_it_reads_in_spanish(client, clinic):
    response = client.get(url(lang="es"))
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "Inyecciones en puntos gatillo" in page
    assert "Llame al 911 ahora" in page
    assert 'href="/c/test/es/self-check/"' in page
    assert 'hreflang="en" lang="en">Read in English</a>' in page
    assert "What they are, who they can help" not in page


def test_it_uses_the_clinics_emergency_number(client, clinic):
    Clinic.objects.filter(pk=clinic.pk).update(emergency_number="112")
    page = client.get(url()).content.decode()
    assert "When to call 112" in page and "call 911" not in page.lower()


def test_it_shows_the_local_paragraph_in_its_language_escaped(client, clinic):
    Clinic.objects.filter(pk=clinic.pk).update(
        public_note_en="Park behind the building. <script>alert(1)</script>",
        public_note_es="Estacione detrás del edificio.",
    )
    english = client.get(url()).content.decode()
    assert "Park behind the building. &lt;script&gt;alert(1)&lt;/script&gt;" in english
    assert "<script>alert(1)" not in english
    assert "Estacione" not in english
    spanish = client.get(url(lang="es")).content.decode()
    assert "Estacione detrás del edificio." in spanish and "Park behind" not in spanish


def test_it_escapes_the_clinics_details(client, clinic):
    Clinic.objects.filter(pk=clinic.pk).update(name="<b>Bold</b> Clinic")
    page = client.get(url()).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; Clinic" in page and "<b>Bold</b>" not in page


def test_it_is_not_found_when_switched_off_or_unknown(client, clinic):
    Clinic.objects.filter(pk=clinic.pk).update(public_page_on=False)
    for address in (url(), url(lang="es"), url("nowhere")):
        assert client.get(address).status_code == 404
    selfcheck = reverse("public:selfcheck", kwargs={"clinic_slug": "test", "lang": "en"})
    handout = reverse("public:handout", kwargs={"clinic_slug": "test", "lang": "en"})
    assert client.get(selfcheck).status_code == 404
    assert client.get(handout).status_code == 404


def test_it_knows_only_english_and_spanish(client, clinic):
    assert client.get("/c/test/fr/trigger-point-injections/").status_code == 404


def test_it_shows_the_same_page_to_a_signed_in_member_of_another_clinic(client, cast, clinic):
    """The page is public: a signed-in outsider sees it like anyone else."""
    sign_in(client, cast.outsider)
    assert client.get(url()).status_code == 200


def test_it_refuses_to_be_posted_to(client, clinic):
    assert client.post(url()).status_code == 405


def english_sentences() -> set[str]:
    """Every English sentence of the catalogue that differs from its Spanish."""
    return {msgid for msgid in catalogue_msgids() if len(msgid.split()) > 2}


def visible_text(page: str) -> str:
    body = page[page.index("<body") :]
    # The sources keep their English titles (marked lang="en"): they are citations.
    body = re.sub(r'<section class="public-sources".*?</section>', " ", body, flags=re.S)
    body = re.sub(r'<[^>]*lang="en"[^>]*>[^<]*<', "<", body)  # the link to the English page
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_no_spanish_page_shows_an_untranslated_english_sentence(client, clinic):
    selfcheck = reverse("public:selfcheck", kwargs={"clinic_slug": "test", "lang": "es"})
    pages = [
        client.get(url(lang="es")),
        client.get(selfcheck),
        client.post(selfcheck, {}),
        client.post(selfcheck, post_data(yes=("neck.vascular",))),
        client.post(selfcheck, post_data(yes=("back.fever",))),
        client.post(selfcheck, post_data(tried=("nothing",))),
        client.post(selfcheck, post_data()),
    ]
    sentences = english_sentences()
    assert len(sentences) > 100
    for response in pages:
        text = " ".join(visible_text(response.content.decode()).split())
        shown = [s for s in sentences if " ".join(s.split()) in text]
        assert shown == [], shown
