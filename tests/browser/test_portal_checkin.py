"""The patient portal in a real browser: a clinician hands out a week-1 check-in link from the
chart; the patient, on a phone, answers one question per screen, reports a warning sign and
is told to call the clinic; the clinician sees the answer charted and acknowledges the alert.

The demo's open week-1 check-ins depend on the day it is seeded, so the test makes its own
patient with a session signed seven days ago, through the real services (the visit-flow
helpers, with the clock moved back), in the demo server's database.
"""

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MRN = "P900007"

# Run in the demo server's database; prints the new patient's public id.
SET_UP = f"""
from datetime import timedelta

import time_machine
from django.utils import timezone

from taut.accounts.models import User
from taut.aftercare.tests import flow
from taut.patients.models import Patient
from taut.tests.cast import make_patient

clinician = User.objects.get(username="clinician")
patient = Patient.objects.filter(mrn="{MRN}", clinic=clinician.clinic).first()
if patient is None:
    patient = make_patient(
        clinician.clinic, clinician, mrn="{MRN}", given_name="Portia", family_name="Stepwell",
        email="portia@example.org",
    )
    with time_machine.travel(timezone.now() - timedelta(days=7)):
        flow.signed(patient, clinician)
print(patient.public_id)
"""


@pytest.fixture
def patient_id(server, tmp_path_factory) -> str:
    """A demo patient whose week-1 check-in is due today."""
    # The server fixture's own directory (pytest also links it as "…current").
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


def answer(step) -> str:
    """Answer the question on screen: the infection question "yes", scales 3, others "no"
    or the first choice; tick boxes are left empty. Returns the question."""
    question = step.locator("legend").inner_text()
    if "red, warm, swollen" in question:
        step.get_by_label("Yes", exact=True).check()
    elif step.locator('input[value="3"]').count():
        step.get_by_label("3", exact=True).check()
    elif step.locator('input[value="no"]').count():
        step.get_by_label("No", exact=True).check()
    elif step.locator("input[type=radio]").count():
        step.locator("input[type=radio]").first.check()
    return question


def test_a_patient_sends_a_check_in_from_a_phone_and_the_clinic_acts_on_it(
    new_page, login, check_page, screenshot, patient_id
):
    chart_url = f"/patients/{patient_id}/"

    # The clinician opens the patient's portal section and copies the week-1 link.
    clinic = new_page(permissions=["clipboard-read", "clipboard-write"])
    login(clinic, "clinician")
    check_page(clinic, clinic.goto(chart_url))
    portal = clinic.locator("#chart-portal")
    expect(portal).to_be_visible()
    portal.get_by_role("link", name="Show links to give the patient").click()
    week_1 = clinic.get_by_role("textbox", name="Patient link for Week 1 check-in", exact=True)
    row = portal.locator("tr").filter(has=week_1)
    link = row.get_by_role("textbox")
    expect(link).to_have_value(re.compile(r"/p/check-in/"))
    row.get_by_role("button", name="Copy link").click()
    expect(row.get_by_role("button", name="Copied")).to_be_visible()
    copied = clinic.evaluate("navigator.clipboard.readText()")
    assert copied == link.input_value()
    screenshot(clinic, "1-links")
    check_page(clinic)

    # The patient opens it on a phone: one question per screen.
    phone = new_page(375, 812, is_mobile=True, has_touch=True)
    check_page(phone, phone.goto(urlsplit(copied).path))
    status = phone.locator("[data-step-status]")
    expect(status).to_have_text("Question 1 of 8")
    expect(phone.locator("fieldset[data-step]:visible")).to_have_count(1)
    screenshot(phone, "2-first-question")

    # Next without an answer says so, and stays.
    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_text("Please pick an answer.")).to_be_visible()
    expect(status).to_have_text("Question 1 of 8")

    asked = []
    for number in range(1, 9):
        expect(status).to_have_text(f"Question {number} of 8")
        step = phone.locator("fieldset[data-step]:visible")
        focused = phone.evaluate("document.activeElement.className")
        assert number == 1 or focused == "question-text", focused
        asked.append(answer(step))
        if "red, warm, swollen" in asked[-1]:
            screenshot(phone, "3-warning-question")
        button = "Check my answers" if number == 8 else "Next"
        phone.get_by_role("button", name=button).click()
    assert any("red, warm, swollen" in q for q in asked), asked

    # The review step lists every answer, then the answers are sent.
    review = phone.locator(".review")
    expect(review.get_by_role("heading", name="Check your answers")).to_be_focused()
    expect(review.locator("dt")).to_have_count(8)
    expect(review).to_contain_text("Yes")
    screenshot(phone, "4-review")
    phone.get_by_role("button", name="Send my answers").click()
    urgent = phone.locator(".portal-urgent")
    expect(urgent).to_contain_text("Some of your answers need a call now")
    expect(urgent).to_contain_text(re.compile(r"Please call .+ now at "))
    expect(urgent.get_by_role("link", name=re.compile("^Call "))).to_have_attribute(
        "href", re.compile("^tel:")
    )
    screenshot(phone, "5-call-the-clinic")
    check_page(phone)

    # Their own page: the new score in the progress table, and the aftercare advice.
    phone.get_by_role("link", name="Go to your page").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hello, Portia")
    expect(phone.locator("#progress-summary")).to_contain_text("latest pain score is 3 out of 10")
    expect(phone.get_by_role("row", name=re.compile("Week 1 check-in"))).to_be_visible()
    expect(phone.get_by_role("heading", name="What to do")).to_be_visible()
    screenshot(phone, "6-home")
    check_page(phone)

    # The same link again is refused: already sent.
    assert phone.goto(urlsplit(copied).path).status == 410
    expect(phone.get_by_role("alert")).to_contain_text("already been sent")
    phone.problems.take()  # the 410 itself is logged by the browser as a failed resource

    # The clinician sees the answer on the chart, then acknowledges the alert.
    check_page(clinic, clinic.goto(chart_url))
    expect(clinic.locator("#chart-outcomes")).to_contain_text("Week 1: 3/10")
    followup = clinic.locator("#chart-followup")
    expect(followup).to_contain_text("The patient")
    screenshot(clinic, "7-chart")
    check_page(clinic, clinic.goto("/patients/worklist/"))
    alert = clinic.locator("li.alert-soon").filter(has_text="Stepwell")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("infection")
    alert.get_by_label("What was done").fill("Called Portia: mild redness, seen today.")
    alert.get_by_role("button", name="Acknowledge").click()
    expect(clinic.locator("li.alert-soon").filter(has_text="Stepwell")).to_have_count(0)
    screenshot(clinic, "8-acknowledged")
    check_page(clinic)
