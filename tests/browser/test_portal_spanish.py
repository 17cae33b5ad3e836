"""A Spanish-speaking patient on a phone (375×812): their check-in and their page are in
Spanish because the registry says so; they answer every question, send them, and read their
aftercare handout in Spanish; the switch turns the page to English and back from the
keyboard; the sign-in page and a used link speak Spanish too. axe-core finds no WCAG 2.1 A
or AA violation on any of these Spanish pages.

The test makes its own patient (preferred language Spanish, a session signed seven days
ago, so the week-1 check-in is due) in the demo server's database, through the real services.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MRN = "P900026"

# Run in the demo server's database; prints the check-in's portal path.
SET_UP = f"""
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.accounts.models import User
from taut.aftercare.models import CheckIn
from taut.aftercare.tests import flow
from taut.patients.models import Patient
from taut.tests.cast import make_patient

clinician = User.objects.get(username="clinician")
patient = Patient.objects.filter(mrn="{MRN}", clinic=clinician.clinic).first()
if patient is None:
    patient = make_patient(
        clinician.clinic, clinician, mrn="{MRN}", given_name="Rosario", family_name="Quintero",
        email="rosario@example.org", preferred_language="es",
    )
    with time_machine.travel(timezone.now() - timedelta(days=7)):
        visit = flow.signed(patient, clinician)
checkin = CheckIn.objects.get(patient=patient, checkpoint="week_1")
print(reverse("portal:checkin", kwargs={{"token": links.checkin_token(checkin)}}))
"""


@pytest.fixture
def checkin_path(server, tmp_path_factory) -> str:
    """The portal path of a Spanish-speaking demo patient's week-1 check-in, due today."""
    found = tmp_path_factory.getbasetemp().glob("taut-browser*/taut.sqlite3")
    databases = sorted({path.resolve() for path in found})
    assert len(databases) == 1, databases
    env = {
        "PATH": str(Path(sys.executable).parent),
        "DATABASE_URL": f"sqlite:///{databases[0]}",
        "DJANGO_SETTINGS_MODULE": "taut.settings",
    }
    made = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SET_UP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    return made.stdout.strip().splitlines()[-1]


def answer(step) -> None:
    """Scales 3, yes/no questions "no", other choices the first: no warning sign."""
    if step.locator('input[value="3"]').count():
        step.locator('input[value="3"]').check()
    elif step.locator('input[value="no"]').count():
        step.locator('input[value="no"]').check()
    elif step.locator("input[type=radio]").count():
        step.locator("input[type=radio]").first.check()


def in_spanish(page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert violations(page) == [], page.url


def test_a_spanish_speaking_patient_checks_in_and_reads_their_aftercare_in_spanish(
    new_page, check_page, screenshot, checkin_path
):
    phone = new_page(375, 812, is_mobile=True, has_touch=True)
    check_page(phone, phone.goto(checkin_path))
    in_spanish(phone)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Su control de la semana 1")
    status = phone.locator("[data-step-status]")
    expect(status).to_have_text("Pregunta 1 de 8")
    expect(phone.locator("fieldset[data-step]:visible legend")).to_have_text(
        "¿Qué tan fuerte es ahora el dolor que le estamos tratando?"
    )
    screenshot(phone, "1-primera-pregunta")

    phone.get_by_role("button", name="Siguiente").click()  # no answer yet
    expect(phone.get_by_text("Elija una respuesta.")).to_be_visible()
    for number in range(1, 9):
        expect(status).to_have_text(f"Pregunta {number} de 8")
        answer(phone.locator("fieldset[data-step]:visible"))
        button = "Revisar mis respuestas" if number == 8 else "Siguiente"
        phone.get_by_role("button", name=button).click()
    review = phone.locator(".review")
    expect(review.get_by_role("heading", name="Revise sus respuestas")).to_be_focused()
    expect(review.locator("dt")).to_have_count(8)
    screenshot(phone, "2-revision")
    in_spanish(phone)

    phone.get_by_role("button", name="Enviar mis respuestas").click()
    expect(phone.get_by_role("status")).to_have_text(
        "Recibimos sus respuestas. No necesita hacer nada más."
    )
    in_spanish(phone)
    screenshot(phone, "3-gracias")
    check_page(phone)

    # Their page: the aftercare handout in Spanish, the emergency first.
    phone.get_by_role("link", name="Ir a su página").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hola, Rosario")
    aftercare = phone.locator("#aftercare-h").locator("xpath=..")
    headings = aftercare.get_by_role("heading", level=3)
    expect(headings.first).to_have_text("Pida ayuda ahora")
    expect(aftercare.get_by_role("heading", name="Qué esperar")).to_be_visible()
    expect(aftercare).to_contain_text("Puede tener los músculos adoloridos por unos días.")
    expect(phone.locator("#progress-summary")).to_contain_text(
        "Su puntaje de dolor más reciente es 3 de 10"
    )
    expect(phone.get_by_role("row", name=re.compile("Control de la semana 1"))).to_be_visible()
    in_spanish(phone)
    screenshot(phone, "4-su-pagina")
    check_page(phone)

    # The switch: English, then back to Spanish from the keyboard.
    phone.get_by_role("link", name="English").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hello, Rosario")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    screenshot(phone, "5-english")
    phone.get_by_role("link", name="Español").focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hola, Rosario")
    expect(phone.get_by_role("link", name="Español")).to_have_attribute("aria-current", "true")
    check_page(phone)

    # The sign-in page and the used link speak Spanish (the switch's cookie).
    check_page(phone, phone.goto("/p/sign-in/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Entre para ver su atención")
    in_spanish(phone)
    screenshot(phone, "6-entrar")
    assert phone.goto(checkin_path).status == 410
    expect(phone.get_by_role("alert")).to_contain_text("Esto ya se envió.")
    in_spanish(phone)
    screenshot(phone, "7-ya-enviado")
    phone.problems.take()  # the 410 itself is logged by the browser as a failed resource
