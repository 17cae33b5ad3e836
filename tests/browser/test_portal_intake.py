"""Before a visit, on a phone: a patient opens the link the clinic sent, answers the
questions, paints where it hurts by touch and sends it; the clinician then sees the
patient-reported intake waiting for review and marks it reviewed."""

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from taut import links

pytestmark = pytest.mark.browser

BACK = ".bodymap-figure >> nth=1"
IDS = re.compile(r"/patients/([0-9a-f-]{36})/visits/([0-9a-f-]{36})/")


def schedule_visit(page, check_page):
    """Schedule a visit three days ahead for the first demo patient; its two ids."""
    page.locator("#results tbody tr").first.get_by_role("link").click()
    patient_id = re.search(r"/patients/([0-9a-f-]{36})/", page.url).group(1)
    check_page(page, page.goto(f"/patients/{patient_id}/visits/new/"))
    when = datetime.now(UTC) + timedelta(days=3)
    page.get_by_label("When").fill(when.strftime("%Y-%m-%dT10:00"))
    # The demo may have booked the clinician then: book over it on purpose.
    page.get_by_label("Book anyway").check()
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_url(IDS)
    return IDS.search(page.url).groups()


def intake_link(patient_id, visit_id):
    """The link the clinic emails: signed with the server's SECRET_KEY (the same
    environment), opening this one visit of this one patient."""
    token = links.make_token(
        purpose=links.Purpose.INTAKE,
        patient=SimpleNamespace(public_id=patient_id),
        object_id=visit_id,
        expires=datetime.now(UTC) + timedelta(days=2),
    )
    return f"/p/before-your-visit/{token}/"


INSIDE = """(shape) => {
  // A point of the viewport where this shape, and no other element, is under the finger.
  const box = shape.getBBox(), matrix = shape.getScreenCTM();
  for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
    const p = new DOMPoint(box.x + box.width * i / 12, box.y + box.height * j / 12);
    const screen = p.matrixTransform(matrix);
    if (document.elementFromPoint(screen.x, screen.y) === shape) return [screen.x, screen.y];
  }
  return null;
}"""


def tap_region(page, key):
    shape = page.locator(BACK).locator(f'.region[data-key="{key}"]')
    shape.scroll_into_view_if_needed()
    point = shape.evaluate(INSIDE)
    assert point, f"no visible point inside {key}"
    page.touchscreen.tap(*point)
    expect(shape).to_have_attribute("aria-checked", "true")


STEP_OF = "(el) => [...document.querySelectorAll('[data-step]')].indexOf(el.closest('[data-step]'))"
SHOWN = "() => [...document.querySelectorAll('[data-step]')].findIndex((step) => !step.hidden)"


def reveal(page, locator):
    """Tap Next or Back until the screen with ``locator`` shows (one group per screen)."""
    for _ in range(20):
        if locator.is_visible():
            return locator
        forward = locator.evaluate(STEP_OF) > page.evaluate(SHOWN)
        page.get_by_role("button", name="Next" if forward else "Back", exact=True).tap()
    raise AssertionError(f"{locator} never showed")


def choose(page, field, value):
    """Tap the big box of one answer (the label: a hidden radio for the 0-10 scales)."""
    box = reveal(page, page.locator(f'label[for="id_{field}_{value}"]'))
    box.scroll_into_view_if_needed()
    box.tap()


def answer_no_to_the_rest(page):
    """From the screen shown to the last one: No to every yes/no question not answered."""
    while True:
        for radio in page.locator('[data-step]:not([hidden]) input[type=radio][value="no"]').all():
            name = radio.get_attribute("name")
            if not page.locator(f'input[name="{name}"]:checked').count():
                radio.check()
        next_button = page.get_by_role("button", name="Next", exact=True)
        if not next_button.count():
            return
        next_button.tap()


def next_in_view(page):
    """The Next button is on screen without scrolling (it stays at the bottom)."""
    button = page.locator(".intake-step-nav .primary")
    box = button.bounding_box()
    viewport = page.viewport_size
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
    return button


def test_a_patient_fills_in_the_pre_visit_form_on_a_phone_and_staff_review_it(
    new_page, login, check_page, screenshot
):
    staff = new_page()
    login(staff, "clinician")
    patient_id, visit_id = schedule_visit(staff, check_page)

    phone = new_page(375, 812, has_touch=True, is_mobile=True)
    link = intake_link(patient_id, visit_id)
    check_page(phone, phone.goto(link))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Before your visit")
    status = phone.locator("[data-step-status]")
    expect(status).to_have_text("Step 1 of 12")  # eleven screens of questions, then the body map
    phone.get_by_label("What is the main reason for your visit?").fill(
        "Pain in my neck and shoulder that stops me sleeping"
    )
    next_in_view(phone).tap()
    expect(status).to_have_text("Step 2 of 12")
    phone.get_by_label("Where is your main pain?").select_option("shoulder_top")
    expect(phone.get_by_label("Where is your main pain?").locator("option:checked")).to_have_text(
        "Top of the shoulder"
    )
    choose(phone, "index_side", 0)  # Left
    phone.get_by_label("How many months have you had this pain?").fill("8")
    screenshot(phone, "1-step-where")
    phone.get_by_role("button", name="Back", exact=True).tap()  # Back keeps the answers
    expect(phone.get_by_label("What is the main reason for your visit?")).to_have_value(
        "Pain in my neck and shoulder that stops me sleeping"
    )
    next_in_view(phone).tap()
    expect(phone.get_by_label("How many months have you had this pain?")).to_have_value("8")
    for field, score in (("nrs_now", 6), ("nrs_average", 5), ("nrs_worst", 8),
                         ("peg_pain", 5), ("peg_enjoyment", 6), ("peg_activity", 4)):  # fmt: skip
        choose(phone, field, score)
        expect(phone.locator(f'input[name="{field}"][value="{score}"]')).to_be_checked()
    reveal(phone, phone.locator('label[for="id_site_infection_or_broken_skin_1"]'))
    next_in_view(phone)  # on a long screen too
    screenshot(phone, "1-step-health")
    answer_no_to_the_rest(phone)
    reveal(phone, phone.get_by_label("For how many weeks, in total, have you tried them?")).fill(
        "10"
    )
    reveal(phone, phone.locator("#id_goal_1")).fill("Sleep through the night")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 376, f"the questions scroll sideways on a phone ({width}px)"
    expect(status).to_have_text("Step 11 of 12")
    screenshot(phone, "1-questions")
    next_in_view(phone).tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Show where it hurts")
    expect(phone.locator("#suggestions")).to_have_count(0)  # no muscles for patients
    for key in ("shoulder_top:left", "neck_posterior_lower:left"):
        tap_region(phone, key)
    expect(phone.locator("[data-marked-count]")).to_have_text("2")
    # The list view is the keyboard and screen-reader way to the same drawing.
    phone.get_by_text("Or choose from a list of body areas").tap()
    phone.locator(".marks-group summary", has_text="Shoulders and upper back").tap()
    listed = phone.locator('input[name="mark"][value="shoulder_top:left"]')
    expect(listed).to_be_checked()
    expect(listed).to_be_visible()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 376, f"the body map scrolls sideways on a phone ({width}px)"
    screenshot(phone, "2-drawing")
    phone.get_by_role("button", name="Send my answers").tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(phone.get_by_text("A list of all the drugs you take")).to_be_visible()
    screenshot(phone, "3-thank-you")
    check_page(phone)
    assert phone.goto(link).status == 410  # the link closes once the answers are in
    expect(phone.get_by_role("alert")).to_contain_text("already been sent")
    assert all("status of 410" in problem for problem in phone.problems.take())

    check_page(staff, staff.goto(f"/patients/{patient_id}/visits/{visit_id}/intake/"))
    banner = staff.locator(".patient-report")
    expect(banner).to_contain_text("Reported by the patient on")
    expect(banner).to_contain_text("— review")
    expect(banner).to_contain_text("drawn by the patient")
    expect(staff.get_by_label("Reason for visit")).to_have_value(
        "Pain in my neck and shoulder that stops me sleeping"
    )
    screenshot(staff, "4-staff-review")
    banner.get_by_role("button", name="Mark reviewed").click()
    expect(staff.locator(".patient-report")).to_contain_text("— reviewed")
    check_page(staff)
