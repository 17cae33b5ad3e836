"""A visitor on a phone (375×812) reads the demo clinic's public page about trigger point
injections in English and Spanish, then takes the self-check: with an emergency answer the
emergency instruction comes first and there is no appointment button above it (none at
all); without, the outcome offers the clinic's phone and an appointment request carrying
the answers. The self-check's "Where is your pain?" also works on the body map, by
keyboard. axe-core finds no WCAG 2.1 A/AA violation on the page or the self-check (with the
map open too), in either language."""

from collections import deque

import pytest
from playwright.sync_api import expect

from taut.atlas.bodymap import arrows
from tests.browser.test_accessibility import violations
from tests.browser.test_visit_journey import pdf_text

pytestmark = pytest.mark.browser

PAGE = "/c/demo/{lang}/trigger-point-injections/"
SELFCHECK = "/c/demo/{lang}/self-check/"
PHONE = "(555) 010-0100"  # the demo clinic's (taut/demo/seed.py)


def phone_page(new_page):
    return new_page(375, 812, has_touch=True, is_mobile=True)


def answer(page, *, emergency: bool, lang: str = "en", regions: bool = True) -> None:
    """Fill the self-check: low back (unless ``regions`` is false: marked on the map),
    over 3 months, tried physical therapy; every red flag "No" except, for an emergency,
    numbness between the legs (cauda equina [S25])."""
    yes, no = ("Yes", "No") if lang == "en" else ("Sí", "No")
    if regions:
        page.locator("input[name=regions][value=low_back]").check()
    page.locator("input[name=duration][value=over_3_months]").check()
    page.locator("input[name=tried][value=physical_therapy]").check()
    for group in page.locator("fieldset.question:has(input[name^=flag_])").all():
        name = group.locator("input").first.get_attribute("name")
        choice = yes if emergency and name == "flag_back_saddle_numbness" else no
        group.get_by_label(choice, exact=True).check()


def test_a_visitor_reads_the_page_in_both_languages(new_page, check_page, screenshot):
    page = phone_page(new_page)
    check_page(page, page.goto(PAGE.format(lang="en")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Trigger point injections")
    expect(page.get_by_role("link", name=f"Call us: {PHONE}")).to_have_attribute(
        "href", f"tel:{PHONE}"
    )
    expect(page.get_by_role("heading", name="When to call 911")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    screenshot(page, "page-en")
    assert violations(page) == [], "page en"

    page.get_by_role("link", name="Leer en español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inyecciones en puntos gatillo")
    expect(page.get_by_role("heading", name="Cuándo llamar al 911")).to_be_visible()
    check_page(page)
    screenshot(page, "page-es")
    assert violations(page) == [], "page es"

    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Pida una cita")).to_be_hidden()
    screenshot(page, "page-es-print")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_self_check_passes_axe_with_and_without_errors(new_page, check_page, lang):
    page = phone_page(new_page)
    check_page(page, page.goto(SELFCHECK.format(lang=lang)))
    assert violations(page) == [], f"self-check {lang}"
    result = "See my result" if lang == "en" else "Ver mi resultado"
    page.get_by_role("button", name=result).click()  # nothing answered: the errors
    expect(page.locator(".portal-errors")).to_be_visible()
    # The browser logs the 400 answer itself; nothing else may have gone wrong.
    problems = page.problems.take()
    assert problems and all("status of 400" in p for p in problems), problems
    assert violations(page) == [], f"self-check errors {lang}"


def test_an_emergency_answer_comes_first_with_no_appointment_button(
    new_page, check_page, screenshot
):
    page = phone_page(new_page)
    check_page(page, page.goto(PAGE.format(lang="en")))
    page.get_by_role("link", name="Could they help me? Take the self-check").click()
    answer(page, emergency=True)
    page.get_by_role("button", name="See my result").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    first = page.locator("main p").first
    expect(first).to_have_text("Call 911 now.")
    expect(page.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(page.get_by_role("link", name="Ask for an appointment")).to_have_count(0)
    expect(page.get_by_role("button", name="Ask for an appointment")).to_have_count(0)
    expect(page.locator("a[href*='appointment-request']")).to_have_count(0)
    expect(page.locator("form[action*='appointment-request']")).to_have_count(0)
    expect(page.get_by_role("link", name=f"Call us: {PHONE}")).to_be_visible()
    check_page(page)
    screenshot(page, "emergency")
    assert violations(page) == [], "emergency outcome"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_without_an_emergency_the_outcome_offers_the_phone_and_an_appointment(
    new_page, check_page, screenshot, lang
):
    page = phone_page(new_page)
    check_page(page, page.goto(SELFCHECK.format(lang=lang)))
    answer(page, emergency=False, lang=lang)
    page.get_by_role("button", name="See my result" if lang == "en" else "Ver mi resultado").click()

    heading = "This may be worth talking about" if lang == "en" else "Puede valer la pena hablarlo"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(f"a[href='tel:{PHONE}']").first).to_be_visible()
    # The answers are posted with the button, never put in an address.
    ask = "Ask for an appointment" if lang == "en" else "Pida una cita"
    request = page.get_by_role("button", name=ask)
    expect(request).to_have_count(1)
    expect(page.locator("[href*='answers=']")).to_have_count(0)
    form = page.locator(f"form[method=post][action='/c/demo/{lang}/appointment-request/']")
    expect(form.locator("input[type=hidden][name=answers]")).to_have_count(1)
    check_page(page)
    screenshot(page, f"worth-discussing-{lang}")
    assert violations(page) == [], f"outcome {lang}"


def test_the_front_desk_gets_the_spanish_handout_as_a_pdf(
    request, new_page, check_page, screenshot
):
    """The handout is rendered by the worker, never by the request: the page says it is
    being prepared and the download starts by itself once it is ready."""
    page = phone_page(new_page)
    check_page(page, page.goto(PAGE.format(lang="es")))
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="Obtenga esta página como hoja en PDF para imprimir").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Preparando la hoja informativa…")
        screenshot(page, "handout-preparing-es")
    download = download_info.value
    assert download.suggested_filename == "demo-trigger-point-injections-es.pdf"
    pdf = request.config.rootpath / "artifacts" / f"{request.node.name}-handout-es.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Inyecciones en puntos gatillo" in text and "Cuándo llamar al 911" in text
    assert "Riverside Muscle Pain Clinic" in text and "(555) 010-0100" in text


KEYS = {"up": "ArrowUp", "down": "ArrowDown", "left": "ArrowLeft", "right": "ArrowRight"}
MAP_BUTTON = {"en": "Show me on a body map instead", "es": "Mejor mostrarlo en un mapa del cuerpo"}


def arrow_keys_to(target) -> list[str]:
    """The shortest run of arrow keys from the map's Tab stop to ``target`` (view, region,
    side), over the moves the server gives each shape (``atlas.bodymap.arrows``)."""
    paths = {arrows.ENTRY: []}
    queue = deque([arrows.ENTRY])
    while queue:
        place = queue.popleft()
        for direction, nxt in arrows.MOVES[place].items():
            if nxt not in paths:
                paths[nxt] = [*paths[place], KEYS[direction]]
                queue.append(nxt)
    return paths[target]


def focused_key(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.dataset.key")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_self_check_passes_axe_with_the_map_open(new_page, check_page, screenshot, lang):
    page = phone_page(new_page)
    check_page(page, page.goto(SELFCHECK.format(lang=lang)))
    page.get_by_role("button", name=MAP_BUTTON[lang]).click()
    expect(page.locator("[data-bodymap] .region").first).to_be_visible()
    check_page(page)
    page.locator("#list-view > summary").click()  # the list of places open too
    page.locator("details.marks-group:has(input[value='low_back:left']) > summary").click()
    page.locator("input[name=mark][value='low_back:left']").check()
    expect(page.locator('.region[data-key="low_back:left"]')).to_have_attribute(
        "aria-checked", "true"
    )
    screenshot(page, f"map-{lang}")
    assert violations(page) == [], f"self-check map {lang}"


def test_a_visitor_marks_the_low_back_on_the_map_by_keyboard(new_page, check_page, screenshot):
    page = phone_page(new_page)
    check_page(page, page.goto(SELFCHECK.format(lang="en")))
    page.get_by_role("button", name=MAP_BUTTON["en"]).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Choose from the short list instead")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Skip to “See my result”").focus()
    page.keyboard.press("Shift+Tab")  # back to "Choose from a list instead"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the map: one Tab stop
    entry = "{}:{}".format(arrows.ENTRY[1], arrows.ENTRY[2] or "mid")
    assert focused_key(page) == entry, "Tab never reached the body map"
    for key in arrow_keys_to(("back", "low_back", "left")):
        page.keyboard.press(key)
    assert focused_key(page) == "low_back:left"
    page.keyboard.press("Space")
    expect(page.locator('.region[data-key="low_back:left"]')).to_have_attribute(
        "aria-checked", "true"
    )
    expect(page.locator("[data-marked-count]")).to_have_text("1")
    expect(page.locator("input[name=mark][value='low_back:left']")).to_be_checked()
    screenshot(page, "low-back-marked")

    answer(page, emergency=False, regions=False)
    # Enter sends the answers (the form's default button), not the switch to the list.
    page.locator("input[name=duration][value=over_3_months]").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("This may be worth talking about")
    expect(page.get_by_role("button", name="Ask for an appointment")).to_have_count(1)
    check_page(page)
    screenshot(page, "map-outcome")


def test_without_javascript_the_map_s_list_of_places_answers(new_page, check_page):
    page = new_page(375, 812, java_script_enabled=False)
    check_page(page, page.goto(SELFCHECK.format(lang="es")))
    page.get_by_role("button", name=MAP_BUTTON["es"]).click()
    page.locator("#list-view > summary").click()
    page.locator("details.marks-group:has(input[value='low_back:left']) > summary").click()
    page.locator("#list-view").get_by_label(
        "Su lado izquierdo: Parte baja de la espalda", exact=True
    ).check()
    answer(page, emergency=False, lang="es", regions=False)
    page.get_by_role("button", name="Ver mi resultado").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Puede valer la pena hablarlo")
    check_page(page)
