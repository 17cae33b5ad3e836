"""A new red flag voids a clinician's screening decision, in a real browser (issue 11,
point 2): the intake needs review (a blood thinner), the clinician proceeds, a red flag is
then recorded, the page shows the decision has lapsed and why, an override that does not
name the red flag is refused, and one that names it clears the procedure.

Each step is screenshotted and checked for console errors and CSP violations.
"""

import os
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VISIT_URL = re.compile(r"/patients/[0-9a-f-]{36}/visits/[0-9a-f-]{36}/$")
FEVER = "Red flag: fever or a possible infection. Refer for work-up; do not inject."


def local_now() -> str:
    zone = ZoneInfo(os.environ.get("TIME_ZONE", "UTC"))
    return datetime.now(zone).strftime("%Y-%m-%dT%H:%M")


def reason(page):
    return page.locator('form[action$="/decision/"] textarea[name="reason"]')


def steps_nav(page):
    return page.get_by_role("navigation", name="Visit steps")


def fill_intake(page):
    page.get_by_label("Reason for visit").fill("Left neck and shoulder pain")
    page.get_by_label("Where is the main pain?").select_option("shoulder_top")
    page.get_by_label("Side", exact=True).select_option("left")
    page.get_by_label("How long (months)").fill("6")
    page.get_by_label("Pain now (0–10)").fill("6")
    page.get_by_label("Average pain, last week (0–10)").fill("5")
    page.get_by_label("Worst pain, last week (0–10)").fill("8")
    page.get_by_label("PEG — average pain (0–10)").fill("5")
    page.get_by_label("PEG — pain's interference with enjoyment of life (0–10)").fill("6")
    page.get_by_label("PEG — pain's interference with general activity (0–10)").fill("6")
    page.get_by_label("Myofascial pain").check()
    for question in page.locator('input[name^="rf:"][value="false"]').all():
        question.check()
    for label in (
        "Infection or broken skin where injections are planned?",
        "Recent muscle injury where injections are planned?",
        "Pregnant or could be pregnant?",
        "Bleeding disorder?",
        "Strong fear of needles?",
        "Poorly controlled diabetes?",
    ):
        page.get_by_label(label).select_option("false")
    page.get_by_label("Taking an anticoagulant or antiplatelet medicine?").select_option("true")
    page.get_by_label("Conservative care tried (what)").fill("Stretching programme, NSAIDs")
    page.get_by_label("For how many weeks (0 if none)").fill("8")
    page.get_by_role("group", name="Had trigger point injections before?").get_by_label(
        "No"
    ).check()
    page.get_by_role("group", name="A steroid is planned in the injectate?").get_by_label(
        "No"
    ).check()
    page.get_by_label("Diabetes?", exact=True).select_option("false")
    page.get_by_label("Goal 1, in the patient's words").fill("Sleep through the night")
    page.get_by_label("Goal 2, in the patient's words").fill("Carry the shopping home")


def test_a_new_red_flag_voids_the_decision_until_the_clinician_names_it(
    page, login, check_page, screenshot
):
    login(page, "clinician")
    page.locator("#results tbody tr").first.get_by_role("link").click()
    visits_card = page.locator("#chart-visits")
    expect(visits_card).to_be_visible()
    visits_card.get_by_role("link", name="Schedule").click()
    page.get_by_label("When").fill(local_now())
    # The demo clinician is busy all day: book over their list on purpose.
    page.get_by_label("Book anyway").check()
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(VISIT_URL)
    steps_nav(page).get_by_role("link", name="Intake and screening").click()

    # 1. Needs review (a blood thinner): the clinician proceeds.
    fill_intake(page)
    page.get_by_role("button", name="Save intake and screen").click()
    expect(page.get_by_text("Intake saved and screened.")).to_be_visible()
    verdict = page.locator("#verdict")
    expect(verdict.locator(".verdict-label")).to_have_text("Needs clinician review")
    page.get_by_label("Proceed after review").check()
    reason(page).fill("Bleeding risk discussed; pressure held.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    expect(page.locator("#decision-lapsed")).to_have_count(0)
    check_page(page)

    # 2. A red flag is recorded: the decision lapses and the page says which reason is new.
    page.locator('input[name="rf:neck.fever"][value="true"]').check()
    page.get_by_role("button", name="Save intake and screen").click()
    expect(page.get_by_text("Intake saved and screened.")).to_be_visible()
    expect(verdict.locator(".verdict-label")).to_have_text("Not eligible")
    lapsed = page.locator("#decision-lapsed")
    expect(lapsed).to_contain_text("The clinician's decision has lapsed")
    expect(lapsed).to_contain_text(f"New since the decision: {FEVER}")
    screenshot(page, "1-lapsed")
    check_page(page)

    # 3. An override that does not name the red flag is refused.
    page.get_by_label("Override: proceed although not eligible").check()
    reason(page).fill("Fever was a cold last week; afebrile today.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Name each red flag you have assessed")).to_be_visible()
    screenshot(page, "2-refused")
    # The browser logs the 400 answer itself; nothing else may have gone wrong.
    problems = page.problems.take()
    assert problems and all("status of 400" in p for p in problems), problems

    # 4. Naming it clears the procedure.
    page.get_by_label("Override: proceed although not eligible").check()
    reason(page).fill("Fever was a cold last week; afebrile today.")
    page.get_by_label(FEVER).check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    expect(page.locator("#decision-lapsed")).to_have_count(0)
    steps_nav(page).get_by_role("link", name="Procedure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Procedure")
    expect(page.get_by_text("decision has lapsed")).to_have_count(0)
    screenshot(page, "3-cleared")
    check_page(page)
