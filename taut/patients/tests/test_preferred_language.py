"""Front desk reads, next to the preferred language, that the patient's own pages come only
in English and Spanish (any other language gets English)."""

from django.urls import reverse

from taut.lib.languages import OFFERED
from taut.patients.forms import PAGES_LANGUAGES_NOTE


def test_the_register_and_edit_forms_say_which_languages_patient_pages_come_in(
    client, cast, signed_in
):
    signed_in(cast.front_desk)
    for url in (
        reverse("patients:new"),
        reverse("patients:edit", args=[cast.patient.public_id]),
    ):
        body = client.get(url).content.decode()
        assert PAGES_LANGUAGES_NOTE.replace("'", "&#x27;") in body, url
        assert 'id="id_preferred_language_helptext"' in body


def test_the_note_names_every_language_patient_pages_come_in():
    assert OFFERED == ("en", "es")
    assert "English and Spanish" in PAGES_LANGUAGES_NOTE
