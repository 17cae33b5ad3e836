"""An amide-allergic patient in a real browser (issue 11, point 1): a brand-name allergy on
the chart is read as lidocaine, screening says not eligible and names bupivacaine too, the
procedure is blocked; a clinician overrides with a reason (documented allergy testing), and
a bupivacaine site is then recorded under that override."""

import os
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VISIT_URL = re.compile(r"/patients/[0-9a-f-]{36}/visits/[0-9a-f-]{36}/$")


def local_now() -> str:
    zone = ZoneInfo(os.environ.get("TIME_ZONE", "UTC"))
    return datetime.now(zone).strftime("%Y-%m-%dT%H:%M")


def steps_nav(page):
    return page.get_by_role("navigation", name="Visit steps")


def test_an_amide_allergy_blocks_until_a_clinician_overrides(page, login, check_page, screenshot):
    login(page, "clinician")
    page.locator("#results tbody tr").nth(1).get_by_role("link").click()

    # --- the chart: a brand name is read as its agent ----------------------------------
    allergies = page.locator("#allergies")
    allergies.get_by_role("link", name="Add").click()
    page.get_by_label("Agent").fill("Xylocaine")
    page.get_by_label("Reaction").fill("Hives and lip swelling")
    page.get_by_role("button", name=re.compile("Save|Add|Record")).click()
    expect(page.locator("#allergies")).to_contain_text("Lidocaine (amide)")
    screenshot(page, "1-chart")
    check_page(page)

    # --- a visit and its intake: not eligible, every amide named -----------------------
    visits_card = page.locator("#chart-visits")
    expect(visits_card).to_be_visible()
    visits_card.get_by_role("link", name="Schedule").click()
    page.get_by_label("When").fill(local_now())
    # The demo clinician is busy all day: book over their list on purpose.
    page.get_by_label("Book anyway").check()
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(VISIT_URL)
    steps_nav(page).get_by_role("link", name="Intake and screening").click()
    expect(page.get_by_role("checkbox", name="Lidocaine (amide)")).to_be_checked()
    page.get_by_label("Reason for visit").fill("Left neck and shoulder pain")
    page.get_by_label("Where is the main pain?").select_option("shoulder_top")
    page.get_by_label("Side", exact=True).select_option("left")
    page.get_by_label("How long (months)").fill("6")
    for label, value in (
        ("Pain now (0–10)", "6"),
        ("Average pain, last week (0–10)", "5"),
        ("Worst pain, last week (0–10)", "8"),
        ("PEG — average pain (0–10)", "5"),
        ("PEG — pain's interference with enjoyment of life (0–10)", "6"),
        ("PEG — pain's interference with general activity (0–10)", "6"),
    ):
        page.get_by_label(label).fill(value)
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
    page.get_by_label("Conservative care tried (what)").fill("Stretching programme, NSAIDs")
    page.get_by_label("For how many weeks (0 if none)").fill("8")
    page.get_by_role("group", name="Had trigger point injections before?").get_by_label(
        "No"
    ).check()
    page.get_by_label("Goal 1, in the patient's words").fill("Turn my head when driving")
    page.get_by_role("button", name="Save intake and screen").click()
    verdict = page.locator("#verdict")
    expect(verdict.locator(".verdict-label")).to_have_text("Not eligible")
    expect(verdict).to_contain_text("no amide (bupivacaine, lidocaine")
    expect(verdict).to_contain_text("documented allergy testing")
    expect(verdict).to_contain_text("DailyMed")
    screenshot(page, "2-not-eligible")
    check_page(page)

    # --- the procedure is blocked ------------------------------------------------------
    steps_nav(page).get_by_role("link", name="Procedure").click()
    expect(page.get_by_role("alert").filter(has_text="Not eligible")).to_be_visible()
    expect(page.locator("#allergies")).to_contain_text("Lidocaine (amide)")
    expect(page.locator("form.site-form")).to_have_count(0)
    screenshot(page, "3-blocked")
    check_page(page)

    # --- the clinician overrides with a reason ----------------------------------------
    steps_nav(page).get_by_role("link", name="Intake and screening").click()
    page.get_by_role("radio", name=re.compile("Override")).check()
    page.get_by_label("Reason").fill(
        "Allergy clinic 2025: skin and subcutaneous challenge to bupivacaine negative."
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()

    # --- exam, consent, time-out, weight, and a bupivacaine site -----------------------
    steps_nav(page).get_by_role("link", name="Exam").click()
    form = page.locator("#finding-form")
    form.get_by_label("Muscle").select_option("trapezius_upper")
    form.get_by_label("Side").select_option("left")
    form.get_by_role("group", name="Taut band").get_by_label("Yes", exact=True).check()
    form.get_by_role("group", name="Hypersensitive spot (spot tenderness)").get_by_label(
        "Yes", exact=True
    ).check()
    form.get_by_role("group", name="Referred pain").get_by_label("Yes", exact=True).check()
    form.get_by_role("group", name="Patient recognises the pain as theirs").get_by_label(
        "Yes", exact=True
    ).check()
    form.get_by_role("button", name="Add finding").click()
    expect(page.locator("section[aria-labelledby=found-h] tbody tr")).to_have_count(1)

    steps_nav(page).get_by_role("link", name="Procedure").click()
    consent = page.locator("#consent")
    for risk in consent.locator('input[name="risks"]').all():  # none start ticked
        risk.check()
    consent.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()
    time_out = page.locator("#time-out")
    for item in time_out.locator('input[name="items"]').all():
        item.check()
    time_out.get_by_role("button", name="Time-out done").click()
    expect(page.get_by_text("Time-out done.", exact=True)).to_be_visible()
    page.get_by_label("Weight measured now (kg)").fill("70")
    page.get_by_role("button", name="Use this weight").click()
    expect(page.get_by_text("Weight for dosing recorded.")).to_be_visible()
    expect(page.locator("#allergies")).to_contain_text("Amide sites allowed by")

    site = page.locator("#sites form.site-form")
    site.get_by_label("Muscle").select_option("trapezius_upper")
    site.get_by_label("Side").select_option("left")
    site.get_by_label("Kind").select_option("anaesthetic")  # the form starts from the last site
    site.get_by_label("Agent").select_option("bupivacaine")
    site.get_by_label("Concentration (%)").fill("0.25")
    site.get_by_label("Volume (mL)").fill("2")
    site.get_by_role("button", name="Add site").click()
    expect(page.get_by_text("Site recorded.")).to_be_visible()
    expect(page.locator("#sites tbody tr")).to_have_count(1)
    expect(page.locator("#sites tbody tr")).to_contain_text("Bupivacaine 0.25%")
    screenshot(page, "4-overridden")
    check_page(page)
