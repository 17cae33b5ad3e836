"""The clinic settings page's public-page part: the lead switches the public page off or
on, adds a local paragraph per language (≤ 600 characters), and finds the links there."""

from django.test import Client

from taut.accounts.models import Clinic
from taut.accounts.tests.test_clinic_settings import URL, form_data, snapshot
from taut.audit.models import Action, AuditEvent

PAGE = "/c/test/en/trigger-point-injections/"


def test_it_links_the_public_pages_and_handouts_in_both_languages(client, cast, signed_in):
    signed_in(cast.lead)
    page = client.get(URL).content.decode()
    for lang in ("en", "es"):
        assert f'href="/c/test/{lang}/trigger-point-injections/"' in page
        assert f'href="/c/test/{lang}/trigger-point-injections/handout.pdf"' in page
        assert f'href="/c/test/{lang}/self-check/"' in page
    assert 'name="public_page_on"' in page and "checked" in page
    assert 'name="public_note_es"' in page and 'maxlength="600"' in page


def test_it_switches_the_page_off_and_on_audited(client, cast, signed_in):
    signed_in(cast.lead)
    data = form_data(cast.clinic)
    del data["public_page_on"]  # an unticked box is not sent
    assert client.post(URL, data).status_code == 302
    assert Client().get(PAGE).status_code == 404
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_type="clinic").latest("id")
    assert event.details["changes"]["public_page_on"] == {"from": True, "to": False}
    assert client.post(URL, form_data(cast.clinic, public_page_on="on")).status_code == 302
    assert Client().get(PAGE).status_code == 200


def test_it_hides_the_clinics_own_numbers_audited(client, cast, signed_in):
    """Issue 17: the lead turns the public page's own results off (and on again)."""
    signed_in(cast.lead)
    assert 'name="public_figures_on"' in client.get(URL).content.decode()
    data = form_data(cast.clinic)
    del data["public_figures_on"]
    assert client.post(URL, data).status_code == 302
    cast.clinic.refresh_from_db()
    assert cast.clinic.public_figures_on is False
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_type="clinic").latest("id")
    assert event.details["changes"]["public_figures_on"] == {"from": True, "to": False}


def test_it_saves_the_local_paragraphs_shown_on_the_page(client, cast, signed_in):
    signed_in(cast.lead)
    data = form_data(
        cast.clinic, public_note_en="Free parking behind.", public_note_es="Estacione gratis."
    )
    assert client.post(URL, data).status_code == 302
    assert "Free parking behind." in Client().get(PAGE).content.decode()
    spanish = Client().get("/c/test/es/trigger-point-injections/").content.decode()
    assert "Estacione gratis." in spanish
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_type="clinic").latest("id")
    assert set(event.details["fields"]) == {"public_note_en", "public_note_es"}
    assert "public_note_en" not in event.details["changes"]  # by name only


def test_it_refuses_a_paragraph_over_600_characters_and_saves_nothing(client, cast, signed_in):
    signed_in(cast.lead)
    before = snapshot(cast.clinic)
    response = client.post(URL, form_data(cast.clinic, public_note_es="x" * 601))
    assert response.status_code == 400
    assert "Ensure this value has at most 600 characters (it has 601)." in response.content.decode()
    assert snapshot(cast.clinic) == before


def test_it_keeps_the_public_page_settings_for_the_lead(client, cast, signed_in):
    signed_in(cast.front_desk)
    before = snapshot(cast.clinic)
    assert client.post(URL, form_data(cast.clinic, public_note_en="Hi")).status_code == 403
    assert snapshot(cast.clinic) == before
    assert Clinic.objects.get(pk=cast.clinic.pk).public_note_en == ""
