"""The body map in a real browser: painting with a mouse, the keyboard and touch; the
suggestions updating as you go; saving a patient's drawing; the muscle reverse view."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FRONT = ".bodymap-figure >> nth=0"


def region(page, key, figure=FRONT):
    return page.locator(figure).locator(f'.region[data-key="{key}"]')


def suggestion_names(page):
    return page.locator("#suggestions .suggestion-head a").all_inner_texts()


INSIDE = """(shape) => {
  // A point of the viewport where this shape, and no other element, is under the pointer.
  const box = shape.getBBox(), matrix = shape.getScreenCTM();
  for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
    const p = new DOMPoint(box.x + box.width * i / 12, box.y + box.height * j / 12);
    const screen = p.matrixTransform(matrix);
    if (document.elementFromPoint(screen.x, screen.y) === shape) return [screen.x, screen.y];
  }
  return null;
}"""


def centre(locator):
    """Viewport coordinates of a point inside the (possibly irregular) shape."""
    locator.scroll_into_view_if_needed()
    point = locator.evaluate(INSIDE)
    assert point, "no visible point inside the shape"
    return point


def test_painting_with_the_mouse_updates_the_suggestions(page, login, check_page, screenshot):
    login(page, "clinician")
    check_page(page, page.goto("/atlas/"))
    expect(page.locator("#suggestions")).to_contain_text("Mark where it hurts")

    temple = region(page, "head_temporal:right")
    temple.click()
    expect(temple).to_have_attribute("aria-checked", "true")
    expect(page.locator("#suggestions .suggestion").first).to_contain_text("Temporalis")
    first = suggestion_names(page)

    # Drag across the outer shoulder and down the outer arm of the same side.
    start = region(page, "shoulder_top:right")
    end = region(page, "upper_arm_lateral:right")
    page.mouse.move(*centre(start))
    page.mouse.down()
    page.mouse.move(*centre(region(page, "shoulder_lateral:right")), steps=8)
    page.mouse.move(*centre(end), steps=8)
    page.mouse.up()
    for key in ("shoulder_top:right", "shoulder_lateral:right", "upper_arm_lateral:right"):
        expect(region(page, key)).to_have_attribute("aria-checked", "true")
    expect(page.locator("[data-marked-count]")).not_to_have_text("1")
    expect(page.locator("#suggestions .suggestion-head a").first).not_to_have_text(first[0])
    assert suggestion_names(page) != first
    screenshot(page, "painted")

    # Undo takes back the whole stroke.
    page.get_by_role("button", name="Undo").click()
    expect(region(page, "shoulder_lateral:right")).to_have_attribute("aria-checked", "false")
    expect(temple).to_have_attribute("aria-checked", "true")
    page.get_by_role("button", name="Clear").click()
    expect(temple).to_have_attribute("aria-checked", "false")
    expect(page.locator("#suggestions")).to_contain_text("Mark where it hurts")
    check_page(page)


def test_painting_with_the_keyboard_alone(page, login, check_page, screenshot):
    login(page, "clinician")
    check_page(page, page.goto("/atlas/"))
    marked = []
    for _ in range(3):
        for _ in range(80):  # Tab to the next region of the map
            page.keyboard.press("Tab")
            key = page.evaluate(
                "() => document.activeElement.classList.contains('region')"
                " ? document.activeElement.dataset.key : null"
            )
            if key and key not in marked:
                break
        assert key, "Tab never reached a region of the body map"
        page.keyboard.press("Space")
        marked.append(key)
        expect(page.locator(f'.region[data-key="{key}"]').first).to_have_attribute(
            "aria-checked", "true"
        )
    expect(page.locator("#suggestions .suggestion").first).to_be_visible()
    expect(page.locator("[data-marked-count]")).to_have_text("3")
    # The list view mirrors the map and works with the keyboard too.
    assert page.locator('input[name="mark"]:checked').count() == 3
    screenshot(page, "keyboard")
    check_page(page)


def test_painting_by_touch_on_a_phone(new_page, login, check_page, screenshot):
    page = new_page(375, 812, has_touch=True, is_mobile=True)
    login(page, "clinician")
    check_page(page, page.goto("/atlas/"))
    for key in ("calf:left", "heel:left", "achilles:left"):
        shape = page.locator(".bodymap-figure >> nth=1").locator(f'.region[data-key="{key}"]')
        shape.scroll_into_view_if_needed()
        shape.tap()
        expect(shape).to_have_attribute("aria-checked", "true")
    expect(page.locator("#suggestions")).to_contain_text("Soleus")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 376, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "phone")
    check_page(page)


def test_the_reverse_view_draws_a_muscles_pattern(page, login, check_page, screenshot):
    login(page, "nurse")
    check_page(page, page.goto("/atlas/muscles/"))
    page.locator("#id_q").press_sequentially("sole", delay=20)
    expect(page.locator("#results li")).to_have_count(1)
    page.get_by_role("link", name="Soleus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Soleus")
    expect(page.locator(".region.primary").first).to_be_visible()
    expect(page.locator(".region.trp").first).to_be_visible()
    expect(page.locator(".legend")).to_contain_text("Essential zone")
    screenshot(page, "soleus")
    check_page(page)


def test_a_clinician_saves_a_drawing_and_sees_it_on_the_chart(page, login, check_page, screenshot):
    login(page, "clinician")
    page.locator("#results tbody tr").first.get_by_role("link").click()
    expect(page.locator("#chart-drawings")).to_be_visible()  # loaded by htmx
    page.locator("#chart-drawings").get_by_role("link", name="New drawing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New pain drawing")
    region(page, "low_back:left", ".bodymap-figure >> nth=1").click()
    region(page, "sacroiliac:left", ".bodymap-figure >> nth=1").click()
    expect(page.locator("#suggestions .suggestion").first).to_be_visible()
    page.locator("#suggestions .suggestion").first.get_by_label("Examine first").check()
    screenshot(page, "drawing")
    page.get_by_role("button", name="Save drawing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Pain drawing, "))
    expect(page.locator("table")).to_contain_text("Patient's left: Low back")
    expect(page.get_by_text("Chosen to examine first")).to_be_visible()
    page.get_by_role("link", name=re.compile("^← ")).click()
    expect(page.locator("#chart-drawings .region.marked").first).to_be_visible()
    screenshot(page, "chart")
    check_page(page)
