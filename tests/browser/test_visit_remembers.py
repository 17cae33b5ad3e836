"""A visit that remembers, in a real browser (issue 12): a clinician opens today's examined
visit, sees the allergy and blood-thinner strip on every visit page, ticks the consent risks
(none start ticked), sees each finished step fold to one line, injects the exam's first
active point in one click with their last injectate, and signs after a summary to confirm. A
nurse sees why the sites card is read-only for her role."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    found = Axe().run(page, options=WCAG).response["violations"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in found]


def steps_nav(page):
    return page.get_by_role("navigation", name="Visit steps")


def open_todays(page, state: str) -> None:
    page.goto("/patients/today/")
    page.locator(f"tr:has-text('{state}') a").first.click()


def test_a_visit_remembers_the_exam_and_the_clinician(page, new_page, login, check_page,
                                                      screenshot):  # fmt: skip
    login(page, "clinician")
    open_todays(page, "Examined")
    visit_page = page.url
    for step in ("Intake and screening", "Exam", "Procedure"):
        strip = page.locator("#safety")
        expect(strip).to_contain_text("Allergies:")
        expect(strip).to_contain_text("Blood thinners:")
        check_page(page)
        steps_nav(page).get_by_role("link", name=re.compile(step)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Procedure")
    expect(page.locator("#safety")).to_contain_text("Allergies:")

    # Consent: every risk starts unticked; ticked, the card folds to one line with "Edit".
    consent = page.locator("#consent")
    risks = consent.locator('input[name="risks"]')
    expect(consent.locator('input[name="risks"]:checked')).to_have_count(0)
    for risk in risks.all():
        risk.check()
    consent.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()
    folded = page.locator("#consent details.step-done")
    expect(folded).not_to_have_attribute("open", "")
    expect(folded.locator("summary")).to_contain_text("consented at")
    expect(consent.get_by_role("button", name="Record consent again")).to_be_hidden()
    folded.locator("summary").focus()
    page.keyboard.press("Enter")  # keyboard opens it
    expect(consent.get_by_role("button", name="Record consent again")).to_be_visible()
    page.keyboard.press("Enter")

    time_out = page.locator("#time-out")
    for item in time_out.locator('input[name="items"]').all():
        item.check()
    time_out.get_by_role("button", name="Time-out done").click()
    expect(page.get_by_text("Time-out done.", exact=True)).to_be_visible()
    weight = page.locator("#weight")
    if weight.get_by_text("No weight in the last").count():
        weight.get_by_label("Weight measured now (kg)").fill("72")
    weight.get_by_role("button", name="Use this weight").click()
    expect(page.get_by_text("Weight for dosing recorded.")).to_be_visible()
    expect(page.locator("details.step-done")).to_have_count(3)
    check_page(page)

    # One click per active point, from the clinician's last site.
    points = page.locator(".inject-points")
    expect(points).to_contain_text("Each one-click point starts from your last site")
    first = points.locator("li").filter(has=page.get_by_role("button")).first
    name = first.locator("span").first.inner_text()
    screenshot(page, "1-points-to-inject")
    assert axe_violations(page) == [], "procedure with folded steps and points to inject"
    first.get_by_role("button", name=re.compile("Inject this point")).click()
    expect(page.get_by_text("Site recorded.")).to_be_visible()
    expect(page.locator("#sites tbody tr")).to_have_count(1)
    expect(page.locator("#sites tbody tr").first).to_contain_text(name)
    expect(page.locator("#site-form")).to_contain_text("Your last:")
    screenshot(page, "2-site-injected")
    check_page(page)

    immediate = page.locator("#immediate")
    immediate.get_by_label("Index pain just before (0–10)").fill("6")
    immediate.get_by_label("Index pain just after (0–10)").fill("2")
    immediate.get_by_label("None", exact=True).check()
    immediate.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Pain scores and complications saved.")).to_be_visible()
    watch = page.locator("#observation")
    for label, value in (("Heart rate", "72"), ("systolic", "124"), ("diastolic", "78")):
        watch.get_by_label(re.compile(label)).fill(value)
    watch.get_by_label(re.compile("Oxygen saturation")).fill("98")
    watch.get_by_label(re.compile("Why the watch was cut short")).fill(
        "Felt well; left after 10 minutes with the leaflet; told when to call"
    )
    watch.get_by_role("button", name="Record the discharge").click()
    expect(page.get_by_text("Discharge recorded.")).to_be_visible()
    screenshot(page, "3-procedure-folded")

    # Signing shows the summary first; nothing is signed until it is confirmed.
    steps_nav(page).get_by_role("link", name="Note").click()
    expect(page.locator("#safety")).to_contain_text("Blood thinners:")
    signing = page.locator("section[aria-labelledby=sign-h]")
    signing.get_by_role("button", name="Sign the note").click()
    summary = page.locator("#sign-confirm")
    expect(summary).to_contain_text("Confirm before signing")
    expect(summary).to_contain_text(name)
    expect(summary).to_contain_text("of the weight-based maximum")
    expect(summary).to_contain_text("CPT 2055")
    expect(page.locator(".visit-head .state")).not_to_have_text("Signed")
    summary.scroll_into_view_if_needed()
    screenshot(page, "4-sign-summary")
    assert axe_violations(page) == [], "sign summary"
    check_page(page)
    summary.get_by_role("button", name="Confirm and sign").click()
    expect(page.get_by_text(re.compile(r"^Signed by "))).to_be_visible()
    expect(page.locator(".visit-head .state")).to_have_text("Signed")
    steps_nav(page).get_by_role("link", name=re.compile("Procedure")).click()
    expect(page.locator(".inject-points")).to_have_count(0)  # a signed visit is locked
    page.goto(visit_page)
    expect(page.locator("#safety")).to_contain_text("Allergies:")
    check_page(page)

    # A nurse sees why the sites card is read-only for her role.
    nurse = new_page()
    login(nurse, "nurse")
    open_todays(nurse, "Intake done")
    steps_nav(nurse).get_by_role("link", name=re.compile("Procedure")).click()
    reason = nurse.locator("#sites .read-only")
    expect(reason).to_have_text(re.compile("Sites are recorded by a clinician"))
    expect(nurse.locator("#safety")).to_be_visible()
    screenshot(nurse, "5-nurse-read-only")
    assert axe_violations(nurse) == [], "nurse's procedure page"
    check_page(nurse)
