"""Front desk's day in a real browser: book a visit from a free slot of the schedule, move
it, cancel it with a reason, check a patient in from the day list, and open the day list's
print view. Each step lands on a page front desk may see, with its success message."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_front_desk_books_moves_cancels_checks_in_and_prints(page, login, check_page, screenshot):
    login(page, "frontdesk")
    name = page.locator("#results tbody tr").first.locator("td").first.inner_text().strip()
    family = name.split(",")[0].strip()

    # The schedule: every clinician side by side; the next day has free slots.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Schedule").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Schedule")
    screenshot(page, "1-schedule-today")
    check_page(page)
    page.get_by_role("link", name="Week view").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("week of")
    screenshot(page, "1b-schedule-week")
    check_page(page)
    page.get_by_role("link", name="Day view").click()
    page.get_by_role("link", name="Next day →").click()
    page.locator("a.slot-book").first.click()

    # Find the patient, then book on their form with the slot filled in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a visit: find the patient")
    page.get_by_label("Find the patient").fill(family)
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name=f"Book for {name}").first.click()
    expect(page.get_by_label("When")).not_to_have_value("")
    page.get_by_label("Visit type").select_option(label="Repeat TPI session")
    screenshot(page, "2-book-form")
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".messages")).to_contain_text("Visit scheduled.")
    expect(page.get_by_text("Not allowed for your role")).to_have_count(0)
    screenshot(page, "3-booked")
    check_page(page)

    # Move it two weeks on, at 11:00.
    when = page.get_by_label("When")
    booked = datetime.fromisoformat(when.input_value())
    later = (booked + timedelta(days=14)).replace(hour=11, minute=0)
    when.fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Move").click()
    expect(page.locator(".messages")).to_contain_text(f"Visit moved to {later:%A} {later.day}")
    screenshot(page, "4-moved")
    check_page(page)

    # Cancel it with a reason.
    page.get_by_label("Reason for cancelling").fill("Patient called: away that week")
    page.get_by_role("button", name="Cancel the visit").click()
    expect(page.locator(".messages")).to_contain_text("Visit cancelled.")
    expect(page.locator("dl.facts")).to_contain_text("Cancelled: Patient called: away that week")
    screenshot(page, "5-cancelled")
    check_page(page)

    # Today's list: check the next expected patient in.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    check_in = page.locator("form button", has_text="Check in").first
    expect(check_in).to_be_visible()
    check_in.click()
    expect(page.locator(".messages")).to_contain_text(re.compile(r"checked in: waiting\."))
    expect(page).to_have_url(re.compile(r"/patients/today/\?date="))
    screenshot(page, "6-checked-in")
    check_page(page)

    # The print view for the morning huddle: one page, no navigation.
    page.get_by_role("link", name="Print view").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("(demo)")
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    screenshot(page, "7-print-view")
    check_page(page)
    printed = page.pdf(prefer_css_page_size=True)  # as the browser would print it
    assert len(re.findall(rb"/Type\s*/Page\b", printed)) == 1, "the day list prints on one page"
