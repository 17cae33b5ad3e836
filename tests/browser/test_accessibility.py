"""The pages staff and patients use most pass axe-core's WCAG 2.1 A and AA checks.

axe-core finds what a machine can (labels, names, contrast, landmarks, ARIA misuse); it is
no substitute for trying the pages with a screen reader, but a regression it can see fails
here. Patient pages are checked at phone size (375×812), staff pages at desktop size, each
after htmx has loaded the page's sections."""

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    found = Axe().run(page, options=WCAG).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in found]


def test_staff_and_patient_pages_pass_axe(new_page, login, check_page):
    staff = new_page()
    check_page(staff, staff.goto("/login/"))
    assert violations(staff) == [], "login"
    login(staff, "clinician")
    schedule = ("/patients/schedule/", "/patients/schedule/?view=week", "/patients/today/print/")
    for path in ("/patients/", "/patients/today/", "/patients/worklist/", *schedule):
        check_page(staff, staff.goto(path))
        assert violations(staff) == [], path

    # A visit's booking page (move, cancel, arrival), from today's list.
    staff.goto("/patients/today/")
    staff.locator("table.day-list a[href$='/booking/']").first.click()
    expect(staff.get_by_role("heading", name="Booking")).to_be_visible()
    assert violations(staff) == [], staff.url

    # A treated patient's chart, every section loaded, then the links the clinic hands out.
    staff.goto("/patients/worklist/")
    unsent = staff.locator("#emails-not-sent")
    expect(unsent).to_be_visible()
    if unsent.get_attribute("open") is None:  # folded to its count: something above waits
        unsent.locator("> summary").click()
    unsent.locator("a[href^='/patients/']").first.click()
    chart = staff.url
    expect(staff.locator("#chart-portal")).to_be_visible()
    assert violations(staff) == [], chart
    staff.locator("#chart-portal").get_by_role(
        "link", name="Show links to give the patient"
    ).click()
    links = staff.locator("#chart-portal").get_by_role("textbox")
    expect(links.first).to_have_value(re.compile(r"/p/"))
    urls = [urlsplit(links.nth(i).input_value()).path for i in range(links.count())]
    assert violations(staff) == [], "portal links card"

    phone = new_page(375, 812, is_mobile=True, has_touch=True)
    for path in urls:
        check_page(phone, phone.goto(path))
        assert violations(phone) == [], path


def test_the_pain_drawing_passes_axe_on_a_phone(new_page, login, check_page):
    """The body map at phone size, with its skip links, a marked region and the list open."""
    phone = new_page(375, 812, is_mobile=True, has_touch=True)
    login(phone, "clinician")
    phone.locator("#results tbody tr").first.get_by_role("link").click()
    link = phone.locator("#chart-drawings").get_by_role("link", name="New drawing")
    check_page(phone, phone.goto(link.get_attribute("href")))
    assert violations(phone) == [], "new pain drawing"
    phone.get_by_role("link", name="Choose from a list instead").tap()
    phone.locator(".marks-group[open] .mark-row .check").first.tap()
    expect(phone.locator(".bodymap .region.marked").first).to_be_attached()
    assert violations(phone) == [], "new pain drawing, list open, one region marked"


def test_visit_pages_pass_axe_with_folded_steps(page, login, check_page):
    """Every visit page with its safety strip, and the procedure page with its finished
    steps folded and one opened (issue 12)."""
    login(page, "clinician")
    check_page(page, page.goto("/patients/today/"))
    page.locator("tr:has-text('Procedure documented') a").first.click()
    steps = page.get_by_role("navigation", name="Visit steps")
    assert violations(page) == [], "visit"
    for step in ("Intake and screening", "Exam", "Note", "Procedure"):
        steps.get_by_role("link", name=re.compile(step)).click()
        expect(page.locator("#safety")).to_be_visible()
        assert violations(page) == [], step
    page.locator("#consent details.step-done > summary").click()
    assert violations(page) == [], "procedure, consent opened"


def test_the_intake_pages_pass_axe(new_page, login, check_page, screenshot):
    """Issue 12: the staff intake (red flags as Yes/No buttons per region) and the
    patient's pre-visit questions one screen at a time, on a phone."""
    from tests.browser.test_portal_intake import intake_link, schedule_visit

    staff = new_page()
    login(staff, "clinician")
    patient_id, visit_id = schedule_visit(staff, check_page)
    check_page(staff, staff.goto(f"/patients/{patient_id}/visits/{visit_id}/intake/"))
    staff.locator("[data-none-present]").first.click()
    staff.locator('input[name^="rf:"][value="false"]').first.focus()
    assert violations(staff) == [], "staff intake"
    screenshot(staff, "staff-intake")

    phone = new_page(375, 812, is_mobile=True, has_touch=True)
    check_page(phone, phone.goto(intake_link(patient_id, visit_id)))
    assert violations(phone) == [], "patient intake, step 1"
    phone.get_by_role("button", name="Next", exact=True).tap()
    expect(phone.locator("[data-step-status]")).to_have_text(re.compile(r"^Step 2 of \d+$"))
    assert violations(phone) == [], "patient intake, step 2"
