"""Pages people read, in a real browser: the worklist folded to counts with the most urgent
section open, the audit log in words with patients named and whole ids on demand, and the
outcomes card saying which follow-up its function suggestion reads. Each is checked with
axe-core and photographed (artifacts/screenshots)."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


def test_the_worklist_opens_the_most_urgent_section_and_folds_the_rest(
    new_page, login, check_page, screenshot
):
    staff = new_page()
    login(staff, "clinician")
    check_page(staff, staff.goto("/patients/worklist/"))
    sections = staff.locator("details.worklist-section")
    expect(sections.nth(4)).to_be_visible()  # the two later apps' sections have loaded
    opened = staff.locator("details.worklist-section[open]")
    expect(opened).to_have_count(1)
    # Keyboard: the next step section opens from its summary with Enter.
    due = staff.locator("#next-step-due > summary")
    due.focus()
    staff.keyboard.press("Enter")
    expect(staff.locator("#next-step-due")).to_have_attribute("open", "")
    why = staff.locator("#next-step-due details.why").first
    why.locator("summary").click()
    expect(why).to_have_attribute("open", "")
    assert violations(staff) == [], "worklist"
    screenshot(staff, "worklist")


def test_the_audit_log_names_patients_and_describes_events(new_page, login, check_page, screenshot):
    lead = new_page()
    login(lead, "lead")
    check_page(lead, lead.goto("/clinic/audit/"))
    table = lead.locator("table.audit-log")
    expect(table).to_be_visible()
    assert "{'" not in table.inner_text()
    named = table.locator("tbody tr td:nth-child(5) a")
    expect(named.first).to_be_visible()
    whole = table.locator("details.whole-id").first
    whole.locator("summary").click()
    expect(whole.locator(".id-full")).to_be_visible()
    assert len(whole.locator(".id-full").inner_text()) >= 32
    assert violations(lead) == [], "audit log"
    screenshot(lead, "audit-log")


def test_the_outcomes_card_says_which_follow_up_the_suggestion_reads(
    new_page, login, check_page, screenshot
):
    staff = new_page()
    login(staff, "clinician")
    check_page(staff, staff.goto("/patients/worklist/"))
    due = staff.locator("#next-step-due")
    expect(due).to_be_visible()
    if due.get_attribute("open") is None:
        due.locator("> summary").click()
    due.locator("a[href*='/outcomes/']").first.click()
    card = staff.locator("#chart-outcomes")
    expect(card).to_be_visible()
    expect(card.locator(".function-basis-why").first).to_contain_text(
        "The suggestion reads the latest follow-up"
    )
    expect(card.locator("tr.decides").first).to_contain_text("the suggestion reads this one")
    assert violations(staff) == [], "outcomes card"
    screenshot(staff, "outcomes-card")
