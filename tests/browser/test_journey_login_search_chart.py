"""The everyday journey in a real browser: sign in, find a patient, open the chart, sign out.

Every page visited is checked for console errors, which is where Chromium reports
Content-Security-Policy violations (inline styles or scripts the policy blocks).
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHART_URL = re.compile(r"/patients/[0-9a-f-]{36}/$")
LIST_URL = re.compile(r"/patients/$")
LOGIN_URL = re.compile(r"/login/$")


def first_patient_name(page) -> str:
    """'Family, Given' from the first row of the patients list."""
    return page.locator("#results tbody tr").first.locator("td").first.inner_text().strip()


def test_clinician_finds_a_patient_opens_the_chart_and_signs_out(
    page, login, check_page, screenshot
):
    login(page, "clinician")
    expect(page).to_have_url(LIST_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients")
    results = page.locator("#results")
    expect(results.locator("p.muted").first).to_have_text(re.compile(r"^\d+ patients? in this"))
    all_rows = results.locator("tbody tr").count()
    assert all_rows > 1
    screenshot(page, "1-patients-list")
    check_page(page)

    family = first_patient_name(page).split(",")[0].strip()
    assert family, "the first row has no family name"

    # Typing searches as you go (htmx, after a 300 ms pause): the list narrows.
    page.locator("#id_q").press_sequentially(family, delay=15)
    expect(results.locator("p.muted").first).to_have_text(re.compile(r"^\d+ match(es)?$"))
    rows = results.locator("tbody tr")
    expect(rows.first).to_contain_text(family, ignore_case=True)
    row_texts = rows.all_inner_texts()
    assert 0 < len(row_texts) < all_rows
    assert all(family.lower() in text.lower() for text in row_texts), row_texts
    expect(page).to_have_url(LIST_URL)  # no names in URLs: the search POSTs
    screenshot(page, "2-search-results")
    check_page(page)

    # Submitting (Enter) gives the same matches, still without leaving the page.
    page.locator("#id_q").press("Enter")
    expect(rows).to_have_count(len(row_texts))
    expect(page).to_have_url(LIST_URL)
    check_page(page)

    link = rows.first.get_by_role("link")
    name = link.inner_text().strip()
    assert name.lower().startswith(family.lower() + ",")
    link.click()
    expect(page).to_have_url(CHART_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("heading", name="Allergies", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Medications", exact=True)).to_be_visible()
    screenshot(page, "3-chart")
    check_page(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.locator("header.topbar")).to_have_count(0)
    check_page(page)

    # Signed out for real: the list sends us back to the login page.
    page.goto("/patients/")
    expect(page).to_have_url(re.compile(r"/login/"))
    check_page(page)


def test_front_desk_sees_no_clinical_information_on_the_chart(page, login, check_page, screenshot):
    login(page, "frontdesk")
    check_page(page)
    link = page.locator("#results tbody tr").first.get_by_role("link")
    name = link.inner_text().strip()
    link.click()
    expect(page).to_have_url(CHART_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text("Clinical information is not shown for your role")).to_be_visible()
    expect(page.get_by_role("heading", name="Allergies")).to_have_count(0)
    expect(page.get_by_role("heading", name="Medications")).to_have_count(0)
    expect(page.get_by_role("region", name="Safety")).to_have_count(0)
    screenshot(page, "chart")
    check_page(page)


def test_slash_moves_focus_to_the_top_bar_search(page, login, check_page):
    login(page, "clinician")
    search = page.locator("#id_q")
    topbar = page.locator("#topbar-q")

    # The list's own search box has autofocus; a slash typed there is just a slash
    # (dates of birth can be 12/03/1980), not the shortcut.
    expect(search).to_be_focused()
    page.keyboard.press("/")
    expect(search).to_have_value("/")
    expect(topbar).not_to_be_focused()
    page.keyboard.press("Backspace")
    expect(search).to_have_value("")

    # Tab out of the field, then "/" jumps to the top-bar search without typing into it.
    page.keyboard.press("Tab")
    expect(search).not_to_be_focused()
    page.keyboard.press("/")
    expect(topbar).to_be_focused()
    expect(topbar).to_have_value("")
    check_page(page)


def test_phone_sized_login_and_list_do_not_overflow(new_page, login, check_page, screenshot):
    width = 375
    page = new_page(width, 812, is_mobile=True, has_touch=True)

    def assert_fits(what: str) -> None:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width + 1, f"{what} is {scroll_width}px wide at {width}px"

    check_page(page, page.goto("/login/"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert_fits("the login page")
    screenshot(page, "1-login")
    check_page(page)

    login(page, "clinician")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients")
    search = page.locator("#id_q")
    expect(search).to_be_visible()
    box = search.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width + 1
    expect(page.locator("#results tbody tr").first.get_by_role("link")).to_be_visible()
    assert_fits("the patients list")
    screenshot(page, "2-patients-list")
    check_page(page)
