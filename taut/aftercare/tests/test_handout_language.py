"""The aftercare handout PDF is printed in the patient's language: Spanish for a patient who
prefers it, English for everyone else; the language is part of the stored PDF's fingerprint,
so changing it prints a new one (docs/decisions/0026-patient-pages-in-english-and-spanish.md)."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from taut.aftercare.tests import flow
from taut.patients.models import Patient
from taut.tests.cast import sign_in
from taut.tests.once import built_once_per_module
from taut.tests.renders import run_renders
from taut.tests.spanish import untranslated, visible_text
from taut.visits.models import PrintedDocument
from taut.workflows import rendering

POPPLER = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
Kind = PrintedDocument.Kind


def signed_session(cast):
    """A signed session, built once for the module: the handout is printed in the language
    the patient prefers when it is printed (``rendering.handout_printable``)."""
    return flow.signed(cast.patient, cast.clinician)


visit, _visit_once = built_once_per_module(signed_session, name="visit")


def prefer(patient, language):
    """As front desk's edit would, without a new patient version (only the language changes)."""
    Patient.objects.filter(pk=patient.pk).update(preferred_language=language)
    patient.refresh_from_db()


def handout_text(client, cast, visit, tmp_path) -> str:
    sign_in(client, cast.clinician)
    run_renders(Kind.AFTERCARE)
    url = reverse("aftercare:instructions_pdf", args=[cast.patient.public_id, visit.public_id])
    response = client.get(url)
    assert response.content.startswith(b"%PDF")
    (tmp_path / "handout.pdf").write_bytes(response.content)
    found = subprocess.run(
        ["pdftotext", str(tmp_path / "handout.pdf"), "-"], capture_output=True, text=True
    )
    return visible_text(found.stdout)


@POPPLER
def test_a_spanish_speaking_patients_handout_is_in_spanish(client, cast, visit, tmp_path):
    prefer(cast.patient, "es")
    text = handout_text(client, cast, visit, tmp_path)
    assert "Después de sus inyecciones en puntos gatillo" in text
    assert "Pida ayuda ahora" in text and "Qué esperar" in text and "Cuándo llamarnos" in text
    assert "Llame al 911 ahora si le falta el aire o tiene dolor en el pecho." in text
    assert "Página 1 de 1" in text or "Página 1 de 2" in text
    assert untranslated(text) == []


@POPPLER
@pytest.mark.parametrize("language", ["en", "fr"])
def test_everyone_elses_handout_is_in_english(client, cast, visit, tmp_path, language):
    prefer(cast.patient, language)
    text = handout_text(client, cast, visit, tmp_path)
    assert "After your trigger point injections" in text and "What to expect" in text


def test_the_language_is_part_of_the_stored_pdfs_fingerprint(cast, visit):
    english = rendering.handout_printable(visit, cast.patient).fingerprint
    prefer(cast.patient, "fr")  # no pages in French: still English, the same PDF
    assert rendering.handout_printable(visit, cast.patient).fingerprint == english
    prefer(cast.patient, "es")
    assert rendering.handout_printable(visit, cast.patient).fingerprint != english


def test_the_staff_page_says_which_language_the_pdf_is_printed_in(client, cast, visit):
    sign_in(client, cast.nurse)
    url = reverse("aftercare:instructions", args=[cast.patient.public_id, visit.public_id])
    for language, said in [
        ("es", "The PDF is printed in Spanish, the patient's preferred language."),
        ("fr", "The PDF is printed in English: the patient prefers French"),
        ("en", "The PDF is printed in English, the patient's preferred language."),
    ]:
        prefer(cast.patient, language)
        body = client.get(url).content.decode()
        assert said in body, language
        assert "What to expect" in body  # the staff page stays English
