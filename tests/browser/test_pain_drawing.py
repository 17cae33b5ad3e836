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
    for _ in range(40):  # Tab through the page: the whole map is one Tab stop
        page.keyboard.press("Tab")
        if focused(page) == "head_vertex:right":
            break
    assert focused(page) == "head_vertex:right", "Tab never reached the body map"
    marked = []
    for _ in range(3):
        page.keyboard.press("ArrowDown")
        key = focused(page)
        assert key not in marked
        page.keyboard.press("Space")
        marked.append(key)
        expect(page.locator(f'.region[data-key="{key}"]').first).to_have_attribute(
            "aria-checked", "true"
        )
    expect(page.locator("#suggestions .suggestion").first).to_be_visible()
    expect(page.locator("[data-marked-count]")).to_have_text("3")
    # The list view mirrors the map and works with the keyboard too.
    assert page.locator('input[name="mark"]:checked').count() == 3
    # A digit sets the focused region's intensity (marking it), - and + change it by one.
    last = page.locator(f'.region[data-key="{key}"]').first
    page.keyboard.press("8")
    page.keyboard.press("-")
    expect(last).to_have_class(re.compile(r"\bi7\b"))
    expect(last).to_have_attribute("aria-label", re.compile(r"pain 7 out of 10$"))
    expect(page.locator(f'select[name="intensity:{key}"]')).to_have_value("7")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("3")
    expect(page.locator("[data-marked-count]")).to_have_text("4")
    # Tab leaves the map in one step, whichever region has focus.
    page.keyboard.press("Tab")
    assert not page.evaluate("() => document.activeElement.classList.contains('region')")
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
    # One finger dragged down the front of the thigh paints every region on its way (a
    # finger on a region paints rather than scrolls).
    front = ".bodymap-figure >> nth=0"
    top, bottom = (
        region(page, "thigh_anterior:left", front),
        region(page, "knee_anterior:left", front),
    )
    top.scroll_into_view_if_needed()
    (x0, y0), (x1, y1) = top.evaluate(INSIDE), bottom.evaluate(INSIDE)
    touch = page.context.new_cdp_session(page)
    touch.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]}
    )
    for i in range(1, 9):
        point = {"x": x0 + (x1 - x0) * i / 8, "y": y0 + (y1 - y0) * i / 8}
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    expect(top).to_have_attribute("aria-checked", "true")
    expect(bottom).to_have_attribute("aria-checked", "true")
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


def open_new_drawing(page):
    """A fresh load of the first listed patient's "New drawing" page."""
    page.locator("#results tbody tr").first.get_by_role("link").click()
    link = page.locator("#chart-drawings").get_by_role("link", name="New drawing")
    page.goto(link.get_attribute("href"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New pain drawing")


def focused(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e.dataset.key || e.id || e.textContent.trim(); }"
    )


def test_keyboard_only_drawing_reaches_save_in_a_handful_of_keys(
    page, login, check_page, screenshot
):
    login(page, "clinician")
    open_new_drawing(page)
    keys: list[str] = []

    def press(key):
        page.keyboard.press(key)
        keys.append(key)

    # From page load: the second skip link goes straight to the body map.
    while focused(page) != "Skip to the body map":
        press("Tab")
        assert len(keys) <= 3, f"Tab reached {focused(page)!r}, not the map's skip link"
    press("Enter")
    assert focused(page) == "head_vertex:right"
    # The map is one Tab stop: arrow keys move between regions, spatially.
    press("ArrowDown")
    assert focused(page) == "head_frontal:right"
    press("ArrowRight")
    assert focused(page) == "head_frontal:left"
    press("Space")
    target = page.locator('.region[data-key="head_frontal:left"]').first
    expect(target).to_have_attribute("aria-checked", "true")
    expect(target).to_have_attribute("tabindex", "0")
    assert page.locator('.bodymap .region[tabindex="0"]').count() == 1
    screenshot(page, "marked-by-keyboard")
    # One Shift+Tab back to the map's skip link to Save, Enter to follow it, Enter to save.
    press("Shift+Tab")
    assert focused(page) == "Skip to “Save drawing”"
    press("Enter")
    assert focused(page) == "drawing-save"
    press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Pain drawing, "))
    expect(page.locator("table")).to_contain_text("Patient's left: Forehead")
    print(f"\nKeyboard-only drawing of one region: {len(keys)} keys: {' '.join(keys)}")
    assert len(keys) <= 10
    check_page(page)


def test_a_stroke_starting_outside_a_region_paints_the_regions_it_crosses(page, login, check_page):
    login(page, "clinician")
    check_page(page, page.goto("/atlas/"))
    outer = region(page, "upper_arm_lateral:right")
    inner = region(page, "upper_arm_anterior:right")
    outer.scroll_into_view_if_needed()
    box = outer.bounding_box()
    start = (box["x"] - 6, box["y"] + box["height"] / 2)
    under = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).classList.contains('region')", start
    )
    assert not under, "the stroke must start outside every region"
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*centre(inner), steps=3)  # a quick stroke: few pointer events
    page.mouse.up()
    expect(outer).to_have_attribute("aria-checked", "true")
    expect(inner).to_have_attribute("aria-checked", "true")
    expect(page.locator("[data-marked-count]")).to_have_text("2")
    # A screen reader's "activate" (a click with no pointer) toggles a region as well.
    outer.dispatch_event("click")
    expect(outer).to_have_attribute("aria-checked", "false")
    # A press outside the figures that never reaches a region marks nothing.
    page.get_by_role("button", name="Clear").click()
    page.mouse.move(box["x"] - 6, box["y"] + 2)
    page.mouse.down()
    page.mouse.move(box["x"] - 10, box["y"] + 20, steps=3)
    page.mouse.up()
    expect(page.locator("[data-marked-count]")).to_have_text("0")
    check_page(page)


def test_a_phone_offers_touch_targets_of_44_pixels(new_page, login, check_page, screenshot):
    page = new_page(375, 812, has_touch=True, is_mobile=True)
    login(page, "clinician")
    open_new_drawing(page)
    shot = screenshot(page, "phone-map")
    page.screenshot(path=str(shot.with_stem(shot.stem + "-first-screen")))
    # The list alternative is a full-width button on the first screen.
    choose = page.get_by_role("link", name="Choose from a list instead")
    box = choose.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300
    assert box["y"] + box["height"] <= 812, "the list alternative is below the first screen"
    small = page.evaluate(
        "() => Array.from(document.querySelectorAll('.bodymap .region')).filter((r) => {"
        " const b = r.getBoundingClientRect(); return Math.min(b.width, b.height) < 44; }).length"
    )
    print(f"\nRegions of the map smaller than 44 px at 375 px wide: {small} (the list has them)")
    choose.tap()
    rows = page.locator(".list-view .marks-group[open] .mark-row .check")
    expect(rows.first.locator("input")).to_be_focused()
    targets = page.locator(
        ".list-view > summary, .marks-group > summary, .marks-group[open] .mark-row .check"
    )
    for i in range(targets.count()):
        target = targets.nth(i).bounding_box()
        assert target["height"] >= 44 and target["width"] >= 44, targets.nth(i).inner_text()
    rows.nth(1).tap()
    key = rows.nth(1).locator("input").get_attribute("value")
    expect(page.locator(f'.region[data-key="{key}"]').first).to_have_attribute(
        "aria-checked", "true"
    )
    screenshot(page, "phone-list")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 376, f"the page scrolls sideways on a phone ({width}px)"
    check_page(page)


def test_without_javascript_the_list_view_records_a_drawing(new_page, login, check_page):
    page = new_page()
    login(page, "clinician")
    open_new_drawing(page)
    address = page.url
    plain = new_page(java_script_enabled=False)
    login(plain, "clinician")
    check_page(plain, plain.goto(address))
    plain.get_by_role("link", name="Choose from a list instead").click()
    plain.locator("#list-view > summary").click()
    plain.locator(".marks-group > summary").first.click()
    plain.locator("#list-view").get_by_label("Patient's left: Forehead").check()
    plain.get_by_role("button", name="Save drawing").click()
    expect(plain.get_by_role("heading", level=1)).to_have_text(re.compile("^Pain drawing, "))
    expect(plain.locator("table")).to_contain_text("Patient's left: Forehead")
    check_page(plain)
