"""Before a visit, on a phone: a patient who reports numbness between the legs (cauda
equina [S25]) is told to call 911 before anything else, and the clinic's worklist shows an
urgent alert (issue 11: emergencies are called emergencies)."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_portal_intake import (
    answer_no_to_the_rest,
    choose,
    intake_link,
    reveal,
    schedule_visit,
    tap_region,
)

pytestmark = pytest.mark.browser


def test_an_emergency_answer_shows_911_first_and_raises_an_urgent_alert(
    new_page, login, check_page, screenshot
):
    staff = new_page()
    login(staff, "clinician")
    patient_id, visit_id = schedule_visit(staff, check_page)

    phone = new_page(375, 812, has_touch=True, is_mobile=True)
    check_page(phone, phone.goto(intake_link(patient_id, visit_id)))
    phone.get_by_label("What is the main reason for your visit?").fill("Pain in my lower back")
    reveal(phone, phone.get_by_label("Where is your main pain?")).select_option("shoulder_top")
    choose(phone, "index_side", 0)
    phone.get_by_label("How many months have you had this pain?").fill("8")
    for field in ("nrs_now", "nrs_average", "nrs_worst", "peg_pain", "peg_enjoyment",
                  "peg_activity"):  # fmt: skip
        choose(phone, field, 5)
    answer_no_to_the_rest(phone)
    choose(phone, "rf:back.saddle_numbness", 0)  # Yes
    weeks = phone.get_by_label("For how many weeks, in total, have you tried them?")
    reveal(phone, weeks).fill("10")
    reveal(phone, phone.locator("#id_goal_1")).fill("Walk the dog")
    phone.get_by_role("button", name="Next: show where it hurts").tap()
    tap_region(phone, "shoulder_top:left")
    phone.get_by_role("button", name="Send my answers").tap()

    heading = phone.get_by_role("heading", level=1)
    expect(heading).to_have_text("Get help now")
    first = phone.locator("main p").first
    expect(first).to_have_text("Call 911 now. This could be an emergency.")
    expect(phone.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    screenshot(phone, "emergency-first")
    check_page(phone)

    staff.goto("/patients/worklist/")
    urgent = staff.locator("li.alert-urgent").filter(has_text="Pre-visit intake")
    expect(urgent).to_have_count(1)
    expect(urgent).to_contain_text("possible cauda equina")
