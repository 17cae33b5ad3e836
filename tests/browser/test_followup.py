"""After the needle, in a real browser: a clinician records a day-1 check-in taken by
phone, the warning-sign answer raises an alert on the worklist, the clinician acknowledges
it with a note, and the chart shows the follow-up and outcomes."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ANSWER_EVERYTHING = """() => {
  // Scales at 3, warning questions "no", the first choice elsewhere: a plain day-1 call.
  const groups = new Set([...document.querySelectorAll('form input[type=radio]')].map(i => i.name));
  for (const name of groups) {
    const pick = document.querySelector(`input[name="${name}"][value="3"]`)
      || document.querySelector(`input[name="${name}"][value="no"]`)
      || document.querySelector(`input[name="${name}"]`);
    pick.checked = true;
  }
  return [...groups];
}"""


def test_a_phone_check_in_raises_an_alert_that_a_clinician_acknowledges(
    page, login, check_page, screenshot
):
    login(page, "clinician")
    check_page(page, page.goto("/patients/today/"))
    page.locator("tr:has-text('Signed') a").first.click()
    page.get_by_role("link", name=re.compile("^← ")).first.click()
    follow_up = page.locator("#chart-followup")
    expect(follow_up).to_be_visible()
    follow_up.get_by_role("link", name="Record by phone").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("check-in")
    asked = page.evaluate(ANSWER_EVERYTHING)
    assert "nrs" in asked and "infection" in asked, asked
    page.locator('input[name="infection"][value="yes"]').check()
    screenshot(page, "1-check-in")
    page.get_by_role("button", name=re.compile("Save|Record")).click()
    check_page(page)

    check_page(page, page.goto("/patients/worklist/"))
    alert = page.locator("li.alert-soon, li.alert-urgent").filter(has_text="infection").first
    expect(alert).to_be_visible()
    screenshot(page, "2-worklist")
    before = page.locator("li.alert-soon, li.alert-urgent").count()
    alert.get_by_label("What was done").fill("Called the patient: red skin only, reviewed today.")
    alert.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("li.alert-soon, li.alert-urgent")).to_have_count(before - 1)
    screenshot(page, "3-acknowledged")
    check_page(page)
