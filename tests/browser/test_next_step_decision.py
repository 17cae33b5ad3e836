"""The next-step decision in a real browser: a clinician opens a treated patient's Outcomes
card, tries a decision that departs from the advice without a reason (the card shows the
error in place, through htmx), gives the reason, and the card shows the decision."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_clinician_records_the_next_step_decision(page, login, check_page, screenshot):
    login(page, "clinician")
    check_page(page, page.goto("/patients/today/"))
    page.locator("tr:has-text('Signed') a").first.click()
    page.get_by_role("link", name=re.compile("^← ")).first.click()
    card = page.locator("#chart-outcomes")
    expect(card.get_by_role("heading", name=re.compile("^Next step:"))).to_be_visible()
    advice = card.get_by_role("heading", name=re.compile("^Next step:")).inner_text()
    decision = card.locator("form[action$='/outcomes/decide/']")
    # "Other" never follows the advice, so it needs a reason.
    decision.get_by_role("radio", name="Other", exact=True).check()
    decision.get_by_role("button", name=re.compile("Record")).click()
    expect(card.get_by_text("This differs from the advice: say why")).to_be_visible()
    screenshot(page, "1-reason-needed")
    # The browser logs the 400 answer itself; nothing else may have gone wrong.
    problems = page.problems.take()
    assert problems and all("status of 400" in p for p in problems), problems
    card = page.locator("#chart-outcomes")
    decision = card.locator("form[action$='/outcomes/decide/']")
    decision.get_by_label("Reason").fill("Patient moving abroad; handing over to their new GP.")
    decision.get_by_role("button", name=re.compile("Record")).click()
    # The card may also show a recorded function reading (p.decided); pick the decision.
    expect(card.locator("p.decided", has_text="Decided:")).to_contain_text("Decided: Other")
    expect(card.get_by_role("heading", name=re.compile("^Next step:"))).to_have_text(advice)
    screenshot(page, "2-decided")
    check_page(page)
