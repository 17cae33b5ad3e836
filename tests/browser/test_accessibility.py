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
    for path in ("/patients/", "/patients/today/", "/patients/worklist/"):
        check_page(staff, staff.goto(path))
        assert violations(staff) == [], path

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
